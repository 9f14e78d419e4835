#define G_LOG_DOMAIN "refinery"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "refinery-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RefineryApplication) app = NULL;
  int status;

  /* Before option parsing, so --help is translated too. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = refinery_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : refinery_application_get_exit_status (app);
}
