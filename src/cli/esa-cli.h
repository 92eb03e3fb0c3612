#pragma once

#include <json-glib/json-glib.h>

#include "esa-core.h"
#include "esa-store.h"

G_BEGIN_DECLS

/* What the process returns: scripts tell a mistake in what they asked for
 * (fix the arguments) from a failure of the machine or the file (retry, call
 * someone). */
typedef enum
{
  ESA_CLI_EXIT_OK = 0,
  ESA_CLI_EXIT_INVALID = 1,
  ESA_CLI_EXIT_FAILURE = 2,
} EsaCliExit;

/* State shared by every command: the database named before the command and,
 * if given again, after it. */
typedef struct
{
  const char *command;     /* the command's name as typed */
  gboolean    uses_db;     /* whether the command works on a database */
  char       *global_db;   /* --db before the command */
  char       *command_db;  /* --db among the command's own options */
} EsaCliContext;

typedef int (*EsaCliCommandFunc) (EsaCliContext *cli,
                                  int            argc,
                                  char         **argv);

/* A command with subcommands ("case actions", "payments import" …). */
typedef struct
{
  const char        *name;
  const char        *command;      /* as the usage line names it */
  const char        *description;  /* marked with N_() */
  EsaCliCommandFunc  func;
} EsaCliSubcommand;

/* Runs the subcommand @argv[1] names; with none or an unknown one, prints
 * the list of subcommands for --help, or an error naming the choices. */
int  esa_cli_run_subcommand (EsaCliContext          *cli,
                             int                     argc,
                             char                  **argv,
                             const EsaCliSubcommand *subcommands,
                             guint                   n_subcommands);

/* The commands, one function each; @argv[0] is the command's name. */
int  esa_cli_check_id     (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_init         (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_demo         (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_audit        (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_bodies       (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_users        (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_stats        (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_search       (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_dossier      (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_load_list    (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_act          (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_form         (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_case         (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_calc         (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_report       (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_instalments  (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_payments     (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_sync         (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_queue        (EsaCliContext *cli, int argc, char **argv);
int  esa_cli_ticket       (EsaCliContext *cli, int argc, char **argv);
/* "stats": esa_cli_stats(), or "stats contacts" (esa-cli-stats.c). */
int  esa_cli_stats_command (EsaCliContext *cli, int argc, char **argv);

/* Opens the database with the shipped procedures and parameter tables given
 * to the store (service levels, SLA clocks, roles). */
EsaStore   *esa_cli_open_store_with_parameters (EsaCliContext *cli,
                                                int           *out_status);
/* Finds a user by id or login; reports on stderr naming @option. */
gboolean    esa_cli_find_user     (EsaCliContext  *cli,
                                   EsaStore       *store,
                                   const char     *option,
                                   const char     *user,
                                   char          **out_id,
                                   int            *out_status);

/* The database the command works on, NULL when none was given. */
const char *esa_cli_get_db_path (EsaCliContext *cli);

/**
 * esa_cli_parse_options:
 * @parameter_string: the positional arguments for the usage line ("TEXT")
 * @summary: (nullable): a translated sentence shown under the usage line
 * @entries: (nullable): the command's options; --db is added to them
 * @n_args_min: fewest positional arguments accepted
 * @n_args_max: most positional arguments accepted, -1 for no limit
 * @out_status: (out): the exit status when FALSE is returned
 *
 * Parses the command's options out of @argc/@argv (leaving the command's
 * name and its positional arguments), prints the reason and a hint on
 * stderr when they are wrong.
 */
gboolean    esa_cli_parse_options (EsaCliContext       *cli,
                                   const char          *parameter_string,
                                   const char          *summary,
                                   const GOptionEntry  *entries,
                                   int                  n_args_min,
                                   int                  n_args_max,
                                   int                 *argc,
                                   char              ***argv,
                                   int                 *out_status);

/**
 * esa_cli_open_store:
 * @create: TRUE when a missing file may be created (init, demo)
 * @out_status: (out): the exit status when NULL is returned
 *
 * Opens the database named by --db, reporting on stderr why it cannot be
 * used: --db missing (invalid input) or a file that is not an Esattore
 * database (failure; the file is left as it was).
 *
 * Returns: (transfer full) (nullable): the store
 */
EsaStore   *esa_cli_open_store    (EsaCliContext *cli,
                                   gboolean       create,
                                   int           *out_status);

/* Prints @error on stderr (naming the database when the error is about it)
 * and returns the exit status that fits it. */
int         esa_cli_report_error  (EsaCliContext *cli,
                                   const GError  *error);

/* Prints a formatted message on stderr after the program's name. */
void        esa_cli_printerr      (const char    *format,
                                   ...) G_GNUC_PRINTF (1, 2);

/* Writes @root as pretty-printed JSON on stdout (UTF-8 whatever the locale). */
int         esa_cli_print_json    (JsonNode      *root);

/* Writes one row's members into an object that is already open. */
typedef void (*EsaCliJsonRowFunc) (JsonBuilder   *builder,
                                   gconstpointer  row);

/* Prints @rows as a JSON array of objects, each filled by @add_row. */
int         esa_cli_print_json_rows (GPtrArray         *rows,
                                     EsaCliJsonRowFunc  add_row);

/* Adds a string member, or null when @value is NULL. */
void        esa_cli_json_add_string (JsonBuilder *builder,
                                     const char  *name,
                                     const char  *value);
void        esa_cli_json_add_int    (JsonBuilder *builder,
                                     const char  *name,
                                     gint64       value);

/* Aligned text tables for people. */
typedef struct _EsaCliTable EsaCliTable;

/* @first_header…: the column titles, NULL-terminated. */
EsaCliTable *esa_cli_table_new      (const char  *first_header,
                                     ...) G_GNUC_NULL_TERMINATED;
/* A table of @n_columns without a title row, for "label  value" blocks. */
EsaCliTable *esa_cli_table_new_plain (guint       n_columns);
/* Aligns a column to the right, for numbers and amounts. */
void         esa_cli_table_align_right (EsaCliTable *table,
                                        guint        column);
/* Exactly one value per column; NULL shows as empty. */
void         esa_cli_table_add_row  (EsaCliTable *table,
                                     const char  *first_value,
                                     ...);
void         esa_cli_table_print    (EsaCliTable *table,
                                     guint        indent);
void         esa_cli_table_free     (EsaCliTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsaCliTable, esa_cli_table_free)

G_END_DECLS
