#define G_LOG_DOMAIN "refinery-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "refinery-preview.h"
#include "refinery-table-model.h"
#include "refinery-table-row.h"

struct _RefineryPreview
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkLabel *file_label;
  GtkLabel *details_label;
  GtkLabel *rows_label;
  GtkLabel *warnings_label;
  GtkColumnView *column_view;

  /* Owned References */
  GtkSortListModel *sort_model;
  RfTable *table;
  char *summary;
};

G_DEFINE_FINAL_TYPE (RefineryPreview, refinery_preview, GTK_TYPE_WIDGET)

/* How a column's cells are made and bound. */
typedef struct
{
  guint index;
  gboolean numeric;
} ColumnInfo;

/* Warnings listed under the summary; the rest are counted. */
#define MAX_SHOWN_WARNINGS 3

/* Cuts *text to REFINERY_PREVIEW_MAX_CHARS characters: laying out a
 * megabyte-long value would stall the view for nothing. */
static void
truncate_text (char **text)
{
  char *cut;

  if (g_utf8_strlen (*text, REFINERY_PREVIEW_MAX_CHARS * 4 + 4) <= REFINERY_PREVIEW_MAX_CHARS)
    return;
  cut = g_utf8_substring (*text, 0, REFINERY_PREVIEW_MAX_CHARS);
  g_free (*text);
  *text = g_strconcat (cut, "…", NULL);
  g_free (cut);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ColumnInfo               *info)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* Numbers line up on the right, as in a spreadsheet. */
  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), info->numeric ? 1.0f : 0.0f);
  if (info->numeric)
    gtk_widget_add_css_class (cell, "numeric");
  gtk_list_item_set_child (item, cell);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ColumnInfo               *info)
{
  RefineryTableRow *row = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  g_autofree char *text = refinery_table_row_dup_text (row, info->index);

  if (text != NULL)
    {
      truncate_text (&text);
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
      gtk_widget_remove_css_class (cell, "dim-label");
    }
  else
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), "—");
      gtk_widget_add_css_class (cell, "dim-label");
    }
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return refinery_table_row_compare ((RefineryTableRow *)a, (RefineryTableRow *)b,
                                     GPOINTER_TO_UINT (user_data));
}

char *
refinery_preview_column_title (const RfColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);

  if (column->unit != NULL && column->unit[0] != '\0')
    return g_strdup_printf ("%s · %s · %s", column->name,
                            rf_column_type_to_string (column->type), column->unit);
  return g_strdup_printf ("%s · %s", column->name, rf_column_type_to_string (column->type));
}

/* A width that fits the title and the widest value shown, so columns do not
 * jump while scrolling; the user can still resize them. */
static int
estimate_column_width (RefineryPreview *self,
                       RfTable         *table,
                       guint            index,
                       const char      *title)
{
  RfColumn *column = rf_table_get_column (table, index);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) widest = g_string_new (NULL);
  g_autoptr(PangoLayout) layout = NULL;
  glong widest_chars = 0;
  int title_width, value_width;

  /* The longest text stands for the widest: digits are all the same width. */
  for (gsize row = 0; row < rf_table_get_n_rows (table); row++)
    {
      glong chars;

      g_string_truncate (text, 0);
      rf_column_format_value (column, row, text);
      chars = g_utf8_strlen (text->str, -1);
      /* Cells show no more than this. */
      if (chars > REFINERY_PREVIEW_MAX_CHARS)
        {
          g_string_truncate (text, g_utf8_offset_to_pointer (text->str, REFINERY_PREVIEW_MAX_CHARS) - text->str);
          chars = REFINERY_PREVIEW_MAX_CHARS;
        }
      if (chars > widest_chars)
        {
          widest_chars = chars;
          g_string_assign (widest, text->str);
        }
    }

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), title);
  pango_layout_get_pixel_size (layout, &title_width, NULL);
  pango_layout_set_text (layout, widest->str, -1);
  pango_layout_get_pixel_size (layout, &value_width, NULL);

  /* Cell padding on both sides, and room for the header's sort arrow. */
  return CLAMP (MAX (title_width + 36, value_width + 20), 48, 400);
}

static void
remove_columns (RefineryPreview *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  guint n;

  while ((n = g_list_model_get_n_items (columns)) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, n - 1);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

static void
add_column (RefineryPreview *self,
            RfTable         *table,
            guint            index)
{
  RfColumn *column = rf_table_get_column (table, index);
  g_autofree char *title = refinery_preview_column_title (column);
  g_autoptr(GtkColumnViewColumn) view_column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  GtkListItemFactory *factory;
  ColumnInfo *info;

  info = g_new0 (ColumnInfo, 1);
  info->index = index;
  info->numeric = rf_column_type_is_numeric (column->type);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_data (factory, "setup", G_CALLBACK (setup_cell), info,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), info);

  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GUINT_TO_POINTER (index), NULL));

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_fixed_width (view_column,
                                          estimate_column_width (self, table, index, title));
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
update_summary (RefineryPreview    *self,
                RfTable            *table,
                const RfReadReport *report)
{
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *file_name = NULL;
  g_autofree char *rows_text = NULL;
  g_autofree char *columns_text = NULL;
  gsize n_rows = report != NULL ? report->n_rows : rf_table_get_n_rows (table);
  gsize n_shown = rf_table_get_n_rows (table);

  if (report != NULL && report->path != NULL)
    {
      g_autofree char *basename = g_path_get_basename (report->path);
      g_autofree char *format = g_ascii_strup (rf_format_to_string (report->format), -1);

      file_name = g_filename_display_name (basename);
      g_string_append (details, format);
      if (report->encoding != NULL)
        g_string_append_printf (details, " · %s", report->encoding);
      if (report->format == RF_FORMAT_CSV)
        {
          g_string_append (details, " · ");
          g_string_append_printf (details, _("delimiter “%s”"), rf_delimiter_to_string (report->delimiter));
          g_string_append (details, " · ");
          g_string_append_printf (details, _("decimal mark “%c”"), report->decimal_mark);
        }
      if (report->layout != NULL)
        {
          g_string_append (details, " · ");
          g_string_append_printf (details, _("layout “%s”"), report->layout);
        }
      g_string_append (details, " · ");
    }

  /* %'lu groups thousands as the locale does. */
  rows_text = g_strdup_printf (ngettext ("%'lu row", "%'lu rows", n_rows), (unsigned long) n_rows);
  columns_text = g_strdup_printf (ngettext ("%'lu column", "%'lu columns", rf_table_get_n_columns (table)),
                                  (unsigned long) rf_table_get_n_columns (table));
  /* Translators: rows × columns of a table, e.g. "2,000 rows × 26 columns" */
  g_string_append_printf (details, _("%s × %s"), rows_text, columns_text);

  gtk_label_set_text (self->file_label, file_name != NULL ? file_name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->file_label), file_name != NULL);
  gtk_label_set_text (self->details_label, details->str);
  g_free (self->summary);
  self->summary = file_name != NULL ? g_strdup_printf ("%s · %s", file_name, details->str)
                                    : g_strdup (details->str);

  if (n_shown < n_rows)
    {
      g_autofree char *shown = g_strdup_printf (ngettext ("Showing the first %'lu row",
                                                          "Showing the first %'lu rows",
                                                          n_shown),
                                                (unsigned long) n_shown);
      gtk_label_set_text (self->rows_label, shown);
    }
  else if (n_rows == 0)
    gtk_label_set_text (self->rows_label, _("The file has a header but no rows"));
  else
    gtk_label_set_text (self->rows_label, _("Showing every row"));

  if (rf_table_get_n_columns (table) > REFINERY_PREVIEW_MAX_COLUMNS)
    {
      /* Translators: %s is "Showing the first 100 rows" or "Showing every row" */
      g_autofree char *columns = g_strdup_printf (_("%s, and the first %u columns"),
                                                  gtk_label_get_text (self->rows_label),
                                                  (guint) REFINERY_PREVIEW_MAX_COLUMNS);
      gtk_label_set_text (self->rows_label, columns);
    }

  if (report != NULL && report->warnings->len > 0)
    {
      g_autoptr(GString) warnings = g_string_new (NULL);

      for (guint i = 0; i < report->warnings->len && i < MAX_SHOWN_WARNINGS; i++)
        {
          if (i > 0)
            g_string_append_c (warnings, '\n');
          g_string_append (warnings, g_ptr_array_index (report->warnings, i));
        }
      if (report->warnings->len > MAX_SHOWN_WARNINGS)
        {
          guint more = report->warnings->len - MAX_SHOWN_WARNINGS;

          g_string_append_c (warnings, '\n');
          g_string_append_printf (warnings, ngettext ("…and %u more warning", "…and %u more warnings", more), more);
        }
      gtk_label_set_text (self->warnings_label, warnings->str);
      gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), FALSE);
}

void
refinery_preview_set_table (RefineryPreview    *self,
                            RfTable            *table,
                            const RfReadReport *report)
{
  g_autoptr(RefineryTableModel) model = NULL;

  g_return_if_fail (REFINERY_IS_PREVIEW (self));
  g_return_if_fail (table == NULL || rf_table_get_n_rows (table) <= REFINERY_PREVIEW_ROWS);

  if (table != NULL)
    rf_table_ref (table);
  g_clear_pointer (&self->table, rf_table_unref);
  self->table = table;

  /* Empty the model before its columns go, so no cell is bound to a column
   * that no longer exists. */
  gtk_sort_list_model_set_model (self->sort_model, NULL);
  remove_columns (self);

  if (table == NULL)
    {
      gtk_label_set_text (self->file_label, "");
      gtk_label_set_text (self->details_label, "");
      g_clear_pointer (&self->summary, g_free);
      gtk_label_set_text (self->rows_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), FALSE);
      return;
    }

  for (guint i = 0; i < MIN (rf_table_get_n_columns (table), REFINERY_PREVIEW_MAX_COLUMNS); i++)
    add_column (self, table, i);
  model = refinery_table_model_new (table);
  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (model));
  update_summary (self, table, report);
}

RfTable *
refinery_preview_get_table (RefineryPreview *self)
{
  g_return_val_if_fail (REFINERY_IS_PREVIEW (self), NULL);

  return self->table;
}

const char *
refinery_preview_get_summary (RefineryPreview *self)
{
  g_return_val_if_fail (REFINERY_IS_PREVIEW (self), NULL);

  return self->summary != NULL ? self->summary : "";
}

GtkColumnView *
refinery_preview_get_column_view (RefineryPreview *self)
{
  g_return_val_if_fail (REFINERY_IS_PREVIEW (self), NULL);

  return self->column_view;
}

GListModel *
refinery_preview_get_rows (RefineryPreview *self)
{
  g_return_val_if_fail (REFINERY_IS_PREVIEW (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

static void
refinery_preview_dispose (GObject *object)
{
  RefineryPreview *self = (RefineryPreview *)object;

  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), REFINERY_TYPE_PREVIEW);
  /* GTK 4.8 unparents only the children that have an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sort_model);
  g_clear_pointer (&self->table, rf_table_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (refinery_preview_parent_class)->dispose (object);
}

static void
refinery_preview_class_init (RefineryPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = refinery_preview_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/refinery/Refinery/ui/refinery-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, RefineryPreview, file_label);
  gtk_widget_class_bind_template_child (widget_class, RefineryPreview, details_label);
  gtk_widget_class_bind_template_child (widget_class, RefineryPreview, rows_label);
  gtk_widget_class_bind_template_child (widget_class, RefineryPreview, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, RefineryPreview, column_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "refinerypreview");
}

static void
refinery_preview_init (RefineryPreview *self)
{
  GtkSelectionModel *selection;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  /* The view's sorter follows header clicks; the sort model applies it. */
  self->sort_model = gtk_sort_list_model_new (NULL, g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (selection), TRUE);
  gtk_column_view_set_model (self->column_view, selection);
  g_object_unref (selection);
}

GtkWidget *
refinery_preview_new (void)
{
  return g_object_new (REFINERY_TYPE_PREVIEW, NULL);
}
