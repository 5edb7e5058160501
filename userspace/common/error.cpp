// SPDX-License-Identifier: GPL-2.0-only
#include "common/error.h"

#include <cstdlib>
#include <cstring>

namespace lw {

SystemError::SystemError(const std::string& what, int err)
    : Error(what + ": " + std::strerror(std::abs(err))), err_(std::abs(err)) {}

}  // namespace lw
