/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-form-dialog.h"

typedef struct
{
  KoersContext        *context;
  GCancellable        *cancellable;
  gboolean             busy;
  gboolean             valid;
  gboolean             ready;   /* rows built; before that, changes are the set-up itself */

  GtkBox              *content_box;
  GtkLabel            *form_message;
  AdwPreferencesGroup *group;
} KoersFormDialogPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (KoersFormDialog, koers_form_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
koers_form_dialog_update_actions (KoersFormDialog *self)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.save", priv->valid && !priv->busy);
}

void
koers_form_dialog_changed (KoersFormDialog *self)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);
  KoersFormDialogClass *klass;

  g_return_if_fail (KOERS_IS_FORM_DIALOG (self));

  if (!priv->ready)
    return;
  klass = KOERS_FORM_DIALOG_GET_CLASS (self);
  priv->valid = klass->validate != NULL ? klass->validate (self) : TRUE;
  koers_form_dialog_update_actions (self);
}

void
koers_form_dialog_ready (KoersFormDialog *self)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_return_if_fail (KOERS_IS_FORM_DIALOG (self));

  priv->ready = TRUE;
  koers_form_dialog_changed (self);
}

void
koers_form_dialog_set_message (KoersFormDialog *self,
                               const char      *message)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_return_if_fail (KOERS_IS_FORM_DIALOG (self));

  gtk_label_set_text (priv->form_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (priv->form_message), message != NULL && *message != '\0');
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KoersFormDialog) self = user_data;
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  gpointer value;

  value = koers_store_run_finish (KOERS_STORE (source), result, &error);
  /* Jobs here return strings (ids) or nothing. */
  g_free (value);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || priv->context == NULL)
    return;

  priv->busy = FALSE;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save: %s"), error->message);

      koers_form_dialog_set_message (self, message);
      koers_form_dialog_update_actions (self);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
koers_form_dialog_run (KoersFormDialog   *self,
                       KoersStoreJobFunc  func,
                       gpointer           data,
                       GDestroyNotify     data_destroy,
                       const char        *changes)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_return_if_fail (KOERS_IS_FORM_DIALOG (self));
  g_return_if_fail (func != NULL);

  priv->busy = TRUE;
  koers_form_dialog_set_message (self, NULL);
  koers_form_dialog_update_actions (self);
  koers_store_run_async (koers_context_get_store (priv->context), func, data, data_destroy,
                         g_free, changes, priv->cancellable, run_done, g_object_ref (self));
}

KoersContext *
koers_form_dialog_get_context (KoersFormDialog *self)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_return_val_if_fail (KOERS_IS_FORM_DIALOG (self), NULL);

  return priv->context;
}

AdwPreferencesGroup *
koers_form_dialog_get_group (KoersFormDialog *self)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_return_val_if_fail (KOERS_IS_FORM_DIALOG (self), NULL);

  return priv->group;
}

GtkWidget *
koers_form_dialog_add_row (KoersFormDialog *self,
                           GtkWidget       *row)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_return_val_if_fail (KOERS_IS_FORM_DIALOG (self), NULL);

  adw_preferences_group_add (priv->group, row);
  if (ADW_IS_ENTRY_ROW (row))
    adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  return row;
}

void
koers_form_dialog_add_extra (KoersFormDialog *self,
                             GtkWidget       *widget)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_return_if_fail (KOERS_IS_FORM_DIALOG (self));

  gtk_box_append (priv->content_box, widget);
}

void
koers_form_dialog_set_choices (AdwComboRow *row,
                               const char  *(*label) (int value),
                               int          n)
{
  g_autoptr(GListModel) model = koers_form_labels_model (label, n);

  adw_combo_row_set_model (row, model);
}

static void
koers_form_dialog_save (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KoersFormDialog *self = KOERS_FORM_DIALOG (widget);
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  koers_form_dialog_changed (self);
  if (!priv->valid || priv->busy)
    return;
  KOERS_FORM_DIALOG_GET_CLASS (self)->save (self);
}

static void
koers_form_dialog_cancel (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
koers_form_dialog_dispose (GObject *object)
{
  KoersFormDialog *self = KOERS_FORM_DIALOG (object);
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  /* No gtk_widget_dispose_template () here: GTK 4.8 looks the template up on the instance's
   * own class, which a subclass without a template lacks. The window's destruction takes the
   * template's widgets down with it, and nothing here uses them after dispose. */
  g_clear_object (&priv->context);

  G_OBJECT_CLASS (koers_form_dialog_parent_class)->dispose (object);
}

static void
koers_form_dialog_finalize (GObject *object)
{
  KoersFormDialog *self = KOERS_FORM_DIALOG (object);
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (koers_form_dialog_parent_class)->finalize (object);
}

static void
koers_form_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KoersFormDialog *self = KOERS_FORM_DIALOG (object);
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_form_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KoersFormDialog *self = KOERS_FORM_DIALOG (object);
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_form_dialog_class_init (KoersFormDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_form_dialog_dispose;
  object_class->finalize = koers_form_dialog_finalize;
  object_class->get_property = koers_form_dialog_get_property;
  object_class->set_property = koers_form_dialog_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-form-dialog.ui");
  gtk_widget_class_bind_template_child_private (widget_class, KoersFormDialog, content_box);
  gtk_widget_class_bind_template_child_private (widget_class, KoersFormDialog, form_message);
  gtk_widget_class_bind_template_child_private (widget_class, KoersFormDialog, group);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, koers_form_dialog_save);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, koers_form_dialog_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "form.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.cancel", NULL);
}

static void
koers_form_dialog_init (KoersFormDialog *self)
{
  KoersFormDialogPrivate *priv = koers_form_dialog_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  priv->cancellable = g_cancellable_new ();
  priv->valid = FALSE;
}
