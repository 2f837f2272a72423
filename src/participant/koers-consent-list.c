/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-consent-list.h"

#include "core/koers-sync-entities.h"
#include "participant/koers-participant-display.h"
#include "participant/koers-section-util.h"
#include "storage/koers-consent-repository.h"

struct _KoersConsentList
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *group;
  GtkListBox          *list;
  guint                n_items;
};

G_DEFINE_FINAL_TYPE (KoersConsentList, koers_consent_list, ADW_TYPE_BIN)

void
koers_consent_list_set_items (KoersConsentList *self,
                              GPtrArray        *items,
                              GPtrArray        *conflicts)
{
  g_return_if_fail (KOERS_IS_CONSENT_LIST (self));
  g_return_if_fail (items != NULL);

  koers_section_clear (self->list);
  self->n_items = items->len;
  if (items->len == 0)
    {
      koers_section_add_empty (self->list, _("No consent recorded"));
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      const KoersConsent *consent = g_ptr_array_index (items, i);
      g_autofree char *given = koers_display_date (consent->given_on, "");
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (consent->withdrawn_on != NULL)
        {
          g_autofree char *withdrawn = koers_display_date (consent->withdrawn_on, "");

          /* Translators: consent history, "Given on 01-09-2026, withdrawn on 28-11-2026" */
          subtitle = g_strdup_printf (_("Given on %s, withdrawn on %s"), given, withdrawn);
        }
      else
        {
          /* Translators: consent that is still in force, "Given on 01-09-2026" */
          subtitle = g_strdup_printf (_("Given on %s"), given);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     koers_consent_scope_label (consent->scope));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      koers_section_add_conflict_badge (ADW_ACTION_ROW (row), conflicts, KOERS_SYNC_CONSENTS,
                                        consent->meta.id);
      if (consent->withdrawn_on == NULL)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Withdraw…"));
          /* A screen reader would read the mnemonic's underscore, and every row's button
           * would sound the same: the name says which consent it withdraws. */
          g_autofree char *name = NULL;

          /* Translators: accessible name of a button; %s is what the consent covers */
          name = g_strdup_printf (_("Withdraw consent: %s"),
                                  koers_consent_scope_label (consent->scope));
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
              g_variant_new_string (koers_consent_scope_to_id (consent->scope)));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button),
                                          "participant.withdraw-consent");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      else
        {
          gtk_widget_add_css_class (row, "dim-label");
        }
      gtk_list_box_append (self->list, row);
    }
}

guint
koers_consent_list_get_n_items (KoersConsentList *self)
{
  g_return_val_if_fail (KOERS_IS_CONSENT_LIST (self), 0);

  return self->n_items;
}

static void
koers_consent_list_dispose (GObject *object)
{
  /* The bin\'s child is a template child too: let the bin drop it first, once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_CONSENT_LIST);

  G_OBJECT_CLASS (koers_consent_list_parent_class)->dispose (object);
}

static void
koers_consent_list_class_init (KoersConsentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_consent_list_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-consent-list.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersConsentList, group);
  gtk_widget_class_bind_template_child (widget_class, KoersConsentList, list);
}

static void
koers_consent_list_init (KoersConsentList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_section_add_empty (self->list, _("No consent recorded"));
}

GtkWidget *
koers_consent_list_new (void)
{
  return g_object_new (KOERS_TYPE_CONSENT_LIST, NULL);
}
