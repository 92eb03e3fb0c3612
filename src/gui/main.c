#include "esa-config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "esa-application.h"

int
main (int   argc,
      char *argv[])
{
  /* Taken first, so that ESATTORE_TIMING=1 measures the whole cold start. */
  gint64 start_time = g_get_monotonic_time ();
  g_autoptr(EsaApplication) app = NULL;
  const char *localedir = g_getenv ("ESATTORE_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir
                                                                             : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = esa_application_new (start_time);
  status = g_application_run (G_APPLICATION (app), argc, argv);

  return status != 0 ? status : esa_application_get_exit_status (app);
}
