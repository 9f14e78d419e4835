#define G_LOG_DOMAIN "refinery-machine-row"

#include "config.h"

#include "refinery-machine-row.h"

struct _RefineryMachineRow
{
  GtkListBoxRow parent_instance;

  /* Template Widgets */
  GtkLabel *name_label;
  GtkLabel *type_label;

  char *machine_id;
};

G_DEFINE_FINAL_TYPE (RefineryMachineRow, refinery_machine_row, GTK_TYPE_LIST_BOX_ROW)

static void
refinery_machine_row_finalize (GObject *object)
{
  RefineryMachineRow *self = (RefineryMachineRow *)object;

  g_clear_pointer (&self->machine_id, g_free);

  G_OBJECT_CLASS (refinery_machine_row_parent_class)->finalize (object);
}

static void
refinery_machine_row_class_init (RefineryMachineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = refinery_machine_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/refinery/Refinery/ui/refinery-machine-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RefineryMachineRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, RefineryMachineRow, type_label);
}

static void
refinery_machine_row_init (RefineryMachineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
refinery_machine_row_new (const RfMachine *machine)
{
  RefineryMachineRow *self;
  const char *type;

  g_return_val_if_fail (machine != NULL, NULL);
  g_return_val_if_fail (machine->id != NULL, NULL);

  self = g_object_new (REFINERY_TYPE_MACHINE_ROW, NULL);
  self->machine_id = g_strdup (machine->id);

  gtk_label_set_text (self->name_label,
                      machine->name != NULL && machine->name[0] != '\0' ? machine->name : machine->id);
  type = machine->type != NULL ? machine->type : "";
  gtk_label_set_text (self->type_label, type);
  gtk_widget_set_visible (GTK_WIDGET (self->type_label), type[0] != '\0');

  /* The id is what the CLI takes (--machine): show it when the name hides it. */
  if (g_strcmp0 (gtk_label_get_text (self->name_label), machine->id) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), machine->id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (self->name_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, type,
                                  -1);
  return GTK_WIDGET (self);
}

const char *
refinery_machine_row_get_machine_id (RefineryMachineRow *self)
{
  g_return_val_if_fail (REFINERY_IS_MACHINE_ROW (self), NULL);

  return self->machine_id;
}

const char *
refinery_machine_row_get_title (RefineryMachineRow *self)
{
  g_return_val_if_fail (REFINERY_IS_MACHINE_ROW (self), NULL);

  return gtk_label_get_text (self->name_label);
}

const char *
refinery_machine_row_get_subtitle (RefineryMachineRow *self)
{
  g_return_val_if_fail (REFINERY_IS_MACHINE_ROW (self), NULL);

  return gtk_label_get_text (self->type_label);
}
