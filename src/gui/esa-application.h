#pragma once

#include <adwaita.h>

#include "esa-procedure-catalog.h"

G_BEGIN_DECLS

#define ESA_TYPE_APPLICATION (esa_application_get_type ())
G_DECLARE_FINAL_TYPE (EsaApplication, esa_application, ESA, APPLICATION, AdwApplication)

/* @start_time: g_get_monotonic_time() at the start of main(), for the
 * cold-start timing printed when ESATTORE_TIMING=1. */
EsaApplication *esa_application_new             (gint64          start_time);
/* (nullable): the application's settings, NULL when the GSettings schema is
 * not installed (the defaults apply and nothing is remembered). */
GSettings      *esa_application_get_settings    (EsaApplication *self);
/* The procedures and parameter tables, loaded at startup (and what failed). */
EsaProcedureCatalog *esa_application_get_catalog  (EsaApplication *self);
/* The status of a --screenshot run: 0 when the PNG was written. */
int             esa_application_get_exit_status (EsaApplication *self);

/* The schema's id does not carry the .Devel suffix of development builds:
 * both builds share their settings. */
#define ESA_SETTINGS_SCHEMA_ID "org.esattore.Esattore"

G_END_DECLS
