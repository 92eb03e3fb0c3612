#include "esa-config.h"

#include "esa-money.h"
#include "esa-dossier-totals.h"

struct _EsaDossierTotals
{
  GtkWidget  parent_instance;

  GtkLabel  *body_label;
  GtkLabel  *currency_label;
  GtkLabel  *principal_label;
  GtkLabel  *sanctions_label;
  GtkLabel  *interest_label;
  GtkLabel  *costs_label;
  GtkLabel  *paid_label;
  GtkLabel  *balance_label;
};

G_DEFINE_FINAL_TYPE (EsaDossierTotals, esa_dossier_totals, GTK_TYPE_WIDGET)

static void
set_amount (GtkLabel   *label,
            gint64      minor,
            const char *currency)
{
  g_autofree char *text = esa_money_format (minor, currency);

  gtk_label_set_text (label, text);
}

static void
esa_dossier_totals_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), ESA_TYPE_DOSSIER_TOTALS);

  /* The card itself has no id, so disposing the template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (esa_dossier_totals_parent_class)->dispose (object);
}

static void
esa_dossier_totals_class_init (EsaDossierTotalsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esa_dossier_totals_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/esattore/Esattore/ui/esa-dossier-totals.ui");
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, body_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, currency_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, principal_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, sanctions_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, interest_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, costs_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, paid_label);
  gtk_widget_class_bind_template_child (widget_class, EsaDossierTotals, balance_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
esa_dossier_totals_init (EsaDossierTotals *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * esa_dossier_totals_new:
 * @totals: what is owed to one body in one currency
 *
 * Returns: (transfer full): a new card showing @totals
 */
GtkWidget *
esa_dossier_totals_new (const EsaTotals *totals)
{
  EsaDossierTotals *self;

  g_return_val_if_fail (totals != NULL, NULL);

  self = g_object_new (ESA_TYPE_DOSSIER_TOTALS, NULL);

  gtk_label_set_text (self->body_label, totals->body_name != NULL ? totals->body_name : "");
  gtk_label_set_text (self->currency_label, totals->currency);
  set_amount (self->principal_label, totals->principal, totals->currency);
  set_amount (self->sanctions_label, totals->sanctions, totals->currency);
  set_amount (self->interest_label, totals->interest, totals->currency);
  set_amount (self->costs_label, totals->costs, totals->currency);
  set_amount (self->paid_label, totals->paid, totals->currency);
  set_amount (self->balance_label, totals->balance, totals->currency);
  /* Settled reads at a glance. */
  if (totals->balance == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->balance_label), "success");

  return GTK_WIDGET (self);
}
