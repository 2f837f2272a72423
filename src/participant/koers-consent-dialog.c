/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-consent-dialog.h"

#include "core/koers-date.h"

struct _KoersConsentDialog
{
  KoersFormDialog parent_instance;

  char           *participant_id;
  gboolean        withdraw;
  AdwComboRow    *scope_row;
  AdwEntryRow    *date_row;
  KoersFormField  date_field;
};

G_DEFINE_FINAL_TYPE (KoersConsentDialog, koers_consent_dialog, KOERS_TYPE_FORM_DIALOG)

static const char *
scope_label (int value)
{
  return koers_consent_scope_label (value);
}

static gboolean
koers_consent_dialog_validate (KoersFormDialog *dialog)
{
  KoersConsentDialog *self = KOERS_CONSENT_DIALOG (dialog);
  g_autoptr(GHashTable) messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  g_autofree char *iso = NULL;
  g_autofree char *today = koers_date_today_iso ();

  if (koers_form_parse_date (self->date_row, &iso, messages, "date"))
    {
      if (iso == NULL)
        g_hash_table_insert (messages, g_strdup ("date"), g_strdup (_("Date is required")));
      else if (g_strcmp0 (iso, today) > 0)
        g_hash_table_insert (messages, g_strdup ("date"),
                             g_strdup (_("Date cannot be in the future")));
    }
  koers_form_field_set_message (&self->date_field, g_hash_table_lookup (messages, "date"));
  return g_hash_table_size (messages) == 0;
}

typedef struct {
  KoersConsent *consent;
  char         *actor;
  gboolean      withdraw;
} ConsentJob;

static void
consent_job_free (gpointer data)
{
  ConsentJob *job = data;

  koers_consent_free (job->consent);
  g_free (job->actor);
  g_free (job);
}

static gpointer
consent_job_run (KoersDatabase *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  ConsentJob *job = data;
  KoersConsent *c = job->consent;

  if (job->withdraw)
    {
      if (!koers_consent_repository_withdraw (db, c->participant_id, c->scope, c->withdrawn_on,
                                              job->actor, error))
        return NULL;
      return g_strdup (c->participant_id);
    }
  if (!koers_consent_repository_give (db, c, job->actor, error))
    return NULL;
  return g_strdup (c->meta.id);
}

static void
koers_consent_dialog_save (KoersFormDialog *dialog)
{
  KoersConsentDialog *self = KOERS_CONSENT_DIALOG (dialog);
  ConsentJob *job = g_new0 (ConsentJob, 1);
  KoersConsent *c = koers_consent_new ();
  g_autofree char *iso = NULL;

  koers_form_parse_date (self->date_row, &iso, NULL, NULL);
  c->participant_id = g_strdup (self->participant_id);
  c->scope = adw_combo_row_get_selected (self->scope_row);
  if (self->withdraw)
    c->withdrawn_on = g_steal_pointer (&iso);
  else
    c->given_on = g_steal_pointer (&iso);

  job->consent = c;
  job->withdraw = self->withdraw;
  job->actor = g_strdup (koers_context_get_actor (koers_form_dialog_get_context (dialog)));
  koers_form_dialog_run (dialog, consent_job_run, job, consent_job_free, "consent");
}

static void
koers_consent_dialog_finalize (GObject *object)
{
  KoersConsentDialog *self = KOERS_CONSENT_DIALOG (object);

  g_free (self->participant_id);

  G_OBJECT_CLASS (koers_consent_dialog_parent_class)->finalize (object);
}

static void
koers_consent_dialog_class_init (KoersConsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KoersFormDialogClass *dialog_class = KOERS_FORM_DIALOG_CLASS (klass);

  object_class->finalize = koers_consent_dialog_finalize;
  dialog_class->validate = koers_consent_dialog_validate;
  dialog_class->save = koers_consent_dialog_save;
}

static void
koers_consent_dialog_init (KoersConsentDialog *self)
{
  KoersFormDialog *dialog = KOERS_FORM_DIALOG (self);
  g_autofree char *today = koers_date_today_iso ();

  self->scope_row = ADW_COMBO_ROW (koers_form_dialog_add_row (dialog, adw_combo_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->scope_row), _("Scope"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scope_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Scope"), -1);
  koers_form_dialog_set_choices (self->scope_row, scope_label, KOERS_N_CONSENT_SCOPES);

  self->date_row = ADW_ENTRY_ROW (koers_form_dialog_add_row (dialog, adw_entry_row_new ()));
  koers_form_set_date (self->date_row, today);
  g_signal_connect_object (self->date_row, "changed",
                           G_CALLBACK (koers_form_dialog_changed), self, G_CONNECT_SWAPPED);
}

static KoersConsentDialog *
consent_dialog_new (GtkWindow    *parent,
                    KoersContext *context,
                    const char   *participant_id,
                    gboolean      withdraw)
{
  KoersConsentDialog *self;

  self = g_object_new (KOERS_TYPE_CONSENT_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "title", withdraw ? _("Withdraw Consent") : _("Record Consent"),
                       NULL);
  self->participant_id = g_strdup (participant_id);
  self->withdraw = withdraw;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row),
                                 withdraw ? _("Withdrawn on") : _("Given on"));
  koers_form_field_init (&self->date_field, GTK_WIDGET (self->date_row));
  return self;
}

GtkWindow *
koers_consent_dialog_new_give (GtkWindow    *parent,
                               KoersContext *context,
                               const char   *participant_id)
{
  KoersConsentDialog *self;

  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  self = consent_dialog_new (parent, context, participant_id, FALSE);
  adw_preferences_group_set_description (koers_form_dialog_get_group (KOERS_FORM_DIALOG (self)),
      _("Record only consent the participant gave for this scope. It stays in force until "
        "it is withdrawn."));
  koers_form_dialog_ready (KOERS_FORM_DIALOG (self));
  return GTK_WINDOW (self);
}

GtkWindow *
koers_consent_dialog_new_withdraw (GtkWindow         *parent,
                                   KoersContext      *context,
                                   const char        *participant_id,
                                   KoersConsentScope  scope)
{
  KoersConsentDialog *self;

  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  self = consent_dialog_new (parent, context, participant_id, TRUE);
  adw_combo_row_set_selected (self->scope_row, scope);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scope_row), FALSE);
  koers_form_dialog_ready (KOERS_FORM_DIALOG (self));
  return GTK_WINDOW (self);
}
