/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-thread-priority.h: background work yields to the window. The one place that knows how
 * each platform lowers a thread's priority.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean koers_thread_lower_priority (GError **error);

G_END_DECLS
