// SPDX-License-Identifier: GPL-2.0-only
// Support options are passed as designated initializers ({.ttl = 3}); GCC
// before 14 wrongly warns about the omitted members (PR c++/96868), so the
// warning is silenced for files that include a support header.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 14
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
