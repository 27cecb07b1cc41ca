/* ms-wizard.c: the page flow from an email address to a working account
 *
 * The whole flow is one state machine: the current step, a history of the
 * steps that led here (Back pops it), and ms_wizard_handle(), which hands
 * each event to the one handler of the current step: the only place that
 * decides what it does there. The step <-> page table says where each
 * page is kept; the pages (MsWizardPage) only show and collect, and say
 * their default widget, focus and validity. Buttons activate "wizard.*"
 * actions, which become events; the ones that make something (fixes,
 * exports, the QR code, copying the details) are in ms-wizard-actions.c.
 * The other path from the welcome page, repairing the accounts the mail
 * programs already have, has its steps here and its work in
 * ms-wizard-repair.c. A provider that offers a sign-in in the browser
 * (OAuth) takes the sign-in step instead of a password: account →
 * sign-in → testing with the token.
 *
 * Every piece of network and keyring work runs asynchronously under
 * self->cancellable, which is cancelled when the step that started it is
 * left, when the test is cancelled, and when the window closes. Exports
 * and the start-up reading of the certificates and provider files run
 * under self->lifetime, which only ms_wizard_cancel() (the window
 * closing) cancels: an export ends with its toast on whatever page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-accessible.h"
#include "ms-account-page.h"
#include "ms-account-settings.h"
#include "ms-account-test.h"
#include "ms-export-page.h"
#include "ms-keyring.h"
#include "ms-manual-page.h"
#include "ms-provider-database.h"
#include "ms-repair-diagnosis-page.h"
#include "ms-repair-list-page.h"
#include "ms-repair-summary-page.h"
#include "ms-result-page.h"
#include "ms-save-page.h"
#include "ms-settings-page.h"
#include "ms-setup-session.h"
#include "ms-sign-in-page.h"
#include "ms-testing-page.h"
#include "ms-tls-database.h"
#include "ms-trust-store.h"
#include "ms-untrusted-text.h"
#include "ms-validate.h"
#include "ms-wizard-page.h"
#include "ms-wizard-private.h"

static guint sign_in_timeout_for_testing;

/* Charter customers often type only their username: complete it. */
#define DEFAULT_DOMAIN "charter.net"

typedef enum
{
  EVENT_NEXT,              /* the page's main button, or Enter */
  EVENT_BACK,
  EVENT_EDIT_SETTINGS,
  EVENT_START_TEST,
  EVENT_CANCEL_TEST,
  EVENT_TEST_FINISHED,     /* self->report holds the report */
  EVENT_TEST_AGAIN,        /* a fix changed the settings, or Try Again */
  EVENT_CHANGE_PASSWORD,
  EVENT_PROVIDERS_LOADED,
  EVENT_SAVED,             /* the keyring stored the password */
  EVENT_LOOKUP_FINISHED,   /* self->found holds what was found, or NULL */
  EVENT_CONFIRMED,         /* the person accepted settings with concerns */
  EVENT_REPAIR,            /* the welcome page's other path */
  EVENT_REPAIR_DIAGNOSIS,  /* the diagnosis page holds an account's */
  EVENT_REPAIRED,          /* the summary page holds the repair written */
  EVENT_SIGNED_IN,         /* the session holds the sign-in's tokens */
  EVENT_SIGN_IN_AGAIN,     /* Try Again after a failed sign-in */
  EVENT_USE_APP_PASSWORD,  /* the app-password route instead of the sign-in */
} Event;

struct _MsWizard
{
  AdwBin              parent_instance;

  AdwToastOverlay    *toast_overlay;
  AdwLeaflet         *leaflet;
  GtkWidget          *welcome_page;
  GtkLabel           *public_lookup_label;
  MsAccountPage      *account_page;
  MsSignInPage       *sign_in_page;
  GtkWidget          *lookup_page;
  GtkSpinner         *lookup_spinner;
  GtkWidget          *lookup_cancel_button;
  MsSettingsPage     *settings_page;
  MsManualPage       *manual_page;
  MsTestingPage      *testing_page;
  MsResultPage       *result_page;
  MsSavePage         *save_page;
  MsExportPage       *export_page;
  GtkWidget          *done_page;
  MsRepairListPage   *repair_list_page;
  MsRepairDiagnosisPage *repair_diagnosis_page;
  MsRepairSummaryPage *repair_summary_page;
  GtkWidget          *start_button;
  GtkWidget          *close_button;

  GSettings          *settings;
  MsWizardStep        step;
  GArray             *history;          /* MsWizardStep, the current one last */
  GCancellable       *cancellable;      /* the current step's work */
  GCancellable       *lifetime;         /* work for the whole wizard */

  MsProviderDatabase *database;
  gboolean            database_loaded;
  gboolean            next_when_loaded;
  GTlsDatabase       *tls_database;
  MsTrustStore       *trust_store;
  guint               load_source;
  gboolean            loading;          /* the start-up work runs */
  guint               exports_running;

  MsSetupSession     *session;          /* the pipeline for this address */
  MsDiscovery        *discovery;        /* while looking */
  MsDiscoveryAttempt *found;            /* what the lookup found */
  gboolean            confirmed;        /* its concerns were accepted */
  MsWizardDiscoveryFunc discovery_func;
  gpointer            discovery_data;

  MsProvider         *provider;
  gboolean            manual;           /* the settings were typed in */
  MsProfile          *profile;          /* what is tested */
  MsAccountTest      *test;             /* while running */
  MsAccountReport    *report;
  MsSecret           *password;         /* the one tested */
  MsOAuthSignIn      *sign_in;          /* while waiting for the browser */
  gboolean            browser_failed;   /* no browser could show its page */
  MsAccountSettings  *account_settings;
  gboolean            saving;
  gboolean            saved;

  MsRepairState      *repair;
};

G_DEFINE_FINAL_TYPE (MsWizard, ms_wizard, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STEP,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ms_wizard_handle (MsWizard *self,
                              Event     event);

G_DEFINE_ENUM_TYPE (MsWizardStep, ms_wizard_step,
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_WELCOME, "welcome"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_ACCOUNT, "account"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_SIGN_IN, "sign-in"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_LOOKUP, "lookup"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_SETTINGS, "settings"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_MANUAL, "manual"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_TESTING, "testing"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_RESULT, "result"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_SAVE, "save"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_EXPORT, "export"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_DONE, "done"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_REPAIR_LIST, "repair-list"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_REPAIR_DIAGNOSIS, "repair-diagnosis"),
                    G_DEFINE_ENUM_VALUE (MS_WIZARD_STEP_REPAIR_SUMMARY, "repair-summary"))

/**
 * ms_wizard_step_to_string:
 *
 * Returns: the step's nick in #MsWizardStep's GEnum ("welcome", "account", …)
 */
const char *
ms_wizard_step_to_string (MsWizardStep step)
{
  g_autoptr(GEnumClass) steps = g_type_class_ref (MS_TYPE_WIZARD_STEP);
  GEnumValue *value = g_enum_get_value (steps, step);

  g_return_val_if_fail (value != NULL, NULL);

  /* The nicks are static strings, which outlive the class reference. */
  return value->value_nick;
}

static void page_validity_cb (MsWizard *self);
static void update_account_sign_in (MsWizard *self);

/* The step <-> page table. The pages of the wizard's own template (no
 * type) are always there; the others are built the first time they are
 * needed, because building all of them delayed the window's first frame. */
typedef struct
{
  gsize     page_offset;       /* where MsWizard keeps the page */
  GType   (*page_type) (void); /* an MsWizardPage, or NULL for a template page */
  gsize     default_offset;    /* a template page's default widget */
  gboolean  next;              /* whether a template page has a Next */
} StepPage;

#define WIZARD_FIELD(self, offset) G_STRUCT_MEMBER (GtkWidget *, (self), (offset))

static const StepPage step_pages[MS_WIZARD_N_STEPS] = {
  [MS_WIZARD_STEP_WELCOME] = { G_STRUCT_OFFSET (MsWizard, welcome_page), NULL,
                               G_STRUCT_OFFSET (MsWizard, start_button), TRUE },
  [MS_WIZARD_STEP_ACCOUNT] = { G_STRUCT_OFFSET (MsWizard, account_page), ms_account_page_get_type },
  [MS_WIZARD_STEP_SIGN_IN] = { G_STRUCT_OFFSET (MsWizard, sign_in_page), ms_sign_in_page_get_type },
  [MS_WIZARD_STEP_LOOKUP] = { G_STRUCT_OFFSET (MsWizard, lookup_page), NULL,
                              G_STRUCT_OFFSET (MsWizard, lookup_cancel_button), FALSE },
  [MS_WIZARD_STEP_SETTINGS] = { G_STRUCT_OFFSET (MsWizard, settings_page), ms_settings_page_get_type },
  [MS_WIZARD_STEP_MANUAL] = { G_STRUCT_OFFSET (MsWizard, manual_page), ms_manual_page_get_type },
  [MS_WIZARD_STEP_TESTING] = { G_STRUCT_OFFSET (MsWizard, testing_page), ms_testing_page_get_type },
  [MS_WIZARD_STEP_RESULT] = { G_STRUCT_OFFSET (MsWizard, result_page), ms_result_page_get_type },
  [MS_WIZARD_STEP_SAVE] = { G_STRUCT_OFFSET (MsWizard, save_page), ms_save_page_get_type },
  [MS_WIZARD_STEP_EXPORT] = { G_STRUCT_OFFSET (MsWizard, export_page), ms_export_page_get_type },
  [MS_WIZARD_STEP_DONE] = { G_STRUCT_OFFSET (MsWizard, done_page), NULL,
                            G_STRUCT_OFFSET (MsWizard, close_button), TRUE },
  [MS_WIZARD_STEP_REPAIR_LIST] = { G_STRUCT_OFFSET (MsWizard, repair_list_page), ms_repair_list_page_get_type },
  [MS_WIZARD_STEP_REPAIR_DIAGNOSIS] = { G_STRUCT_OFFSET (MsWizard, repair_diagnosis_page),
                                        ms_repair_diagnosis_page_get_type },
  [MS_WIZARD_STEP_REPAIR_SUMMARY] = { G_STRUCT_OFFSET (MsWizard, repair_summary_page),
                                      ms_repair_summary_page_get_type },
};

static GtkWidget *
create_page (MsWizard     *self,
             MsWizardStep  step)
{
  GtkWidget *page = g_object_new (step_pages[step].page_type (), NULL);

  g_assert (MS_IS_WIZARD_PAGE (page));

  if (MS_IS_ACCOUNT_PAGE (page))
    {
      ms_account_page_set_default_domain (MS_ACCOUNT_PAGE (page), DEFAULT_DOMAIN);
      g_signal_connect_object (page, "address-changed", G_CALLBACK (update_account_sign_in),
                               self, G_CONNECT_SWAPPED);
    }
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "valid") != NULL)
    g_signal_connect_object (page, "notify::valid", G_CALLBACK (page_validity_cb),
                             self, G_CONNECT_SWAPPED);

  return page;
}

/* Each page goes into the leaflet after the page of the step before it,
 * so the pages keep the order of the steps. */
static GtkWidget *
ensure_page (MsWizard     *self,
             MsWizardStep  step)
{
  GtkWidget **slot = &WIZARD_FIELD (self, step_pages[step].page_offset);
  GtkWidget *before = self->welcome_page;

  if (*slot != NULL)
    return *slot;

  *slot = create_page (self, step);

  for (MsWizardStep earlier = MS_WIZARD_STEP_WELCOME; earlier < step; earlier++)
    {
      GtkWidget *earlier_page = WIZARD_FIELD (self, step_pages[earlier].page_offset);

      if (earlier_page != NULL)
        before = earlier_page;
    }

  adw_leaflet_insert_child_after (self->leaflet, *slot, before);

  return *slot;
}

#define ACCOUNT_PAGE(self) MS_ACCOUNT_PAGE (ensure_page (self, MS_WIZARD_STEP_ACCOUNT))
#define SIGN_IN_PAGE(self) MS_SIGN_IN_PAGE (ensure_page (self, MS_WIZARD_STEP_SIGN_IN))
#define SETTINGS_PAGE(self) MS_SETTINGS_PAGE (ensure_page (self, MS_WIZARD_STEP_SETTINGS))
#define MANUAL_PAGE(self) MS_MANUAL_PAGE (ensure_page (self, MS_WIZARD_STEP_MANUAL))
#define TESTING_PAGE(self) MS_TESTING_PAGE (ensure_page (self, MS_WIZARD_STEP_TESTING))
#define RESULT_PAGE(self) MS_RESULT_PAGE (ensure_page (self, MS_WIZARD_STEP_RESULT))
#define SAVE_PAGE(self) MS_SAVE_PAGE (ensure_page (self, MS_WIZARD_STEP_SAVE))
#define EXPORT_PAGE(self) MS_EXPORT_PAGE (ensure_page (self, MS_WIZARD_STEP_EXPORT))

static GtkWidget *
default_widget_for_step (MsWizard     *self,
                         MsWizardStep  step)
{
  GtkWidget *page = ensure_page (self, step);

  if (MS_IS_WIZARD_PAGE (page))
    return ms_wizard_page_get_default_widget (MS_WIZARD_PAGE (page));

  return WIZARD_FIELD (self, step_pages[step].default_offset);
}

static void
focus_step (MsWizard *self)
{
  GtkWidget *page = ensure_page (self, self->step);

  if (MS_IS_WIZARD_PAGE (page))
    ms_wizard_page_focus (MS_WIZARD_PAGE (page));
  else
    gtk_widget_grab_focus (default_widget_for_step (self, self->step));
}

/* Whether the main button of the step shown may be pressed: the page's
 * say, and the wizard's own state. */
static gboolean
next_enabled (MsWizard *self)
{
  GtkWidget *page = ensure_page (self, self->step);
  gboolean next = MS_IS_WIZARD_PAGE (page) ? ms_wizard_page_get_valid (MS_WIZARD_PAGE (page))
                                           : step_pages[self->step].next;

  if (self->step == MS_WIZARD_STEP_ACCOUNT && self->next_when_loaded)
    return FALSE;
  if (self->step == MS_WIZARD_STEP_RESULT)
    return next && self->report != NULL && ms_account_report_works (self->report);
  if (self->step == MS_WIZARD_STEP_SAVE)
    return next && !self->saving;

  return next;
}

/* Which actions make sense where: a button that does nothing is disabled. */
static void
update_actions (MsWizard *self)
{
  gboolean running = self->test != NULL || ms_wizard_repair_get_checking (self);
  gboolean next = next_enabled (self);
  GtkRoot *root;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", self->history->len > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.edit-settings",
                                 self->step == MS_WIZARD_STEP_SETTINGS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.start-test",
                                 self->step == MS_WIZARD_STEP_TESTING && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.cancel-test", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.retry", self->step == MS_WIZARD_STEP_RESULT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.apply-fix", self->step == MS_WIZARD_STEP_RESULT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.change-password",
                                 self->step == MS_WIZARD_STEP_RESULT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.copy-details",
                                 self->step == MS_WIZARD_STEP_RESULT && self->report != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.export", self->step == MS_WIZARD_STEP_EXPORT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.repair", self->step == MS_WIZARD_STEP_WELCOME);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.open-browser-again",
                                 self->step == MS_WIZARD_STEP_SIGN_IN && self->sign_in != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.sign-in-again",
                                 (self->step == MS_WIZARD_STEP_SIGN_IN && self->sign_in == NULL) ||
                                 (self->step == MS_WIZARD_STEP_RESULT && self->session != NULL &&
                                  ms_setup_session_offers_sign_in (self->session)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.use-app-password",
                                 self->step == MS_WIZARD_STEP_SIGN_IN && self->sign_in == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.show-diagnosis",
                                 self->step == MS_WIZARD_STEP_REPAIR_LIST && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.retry-repair",
                                 self->step == MS_WIZARD_STEP_REPAIR_DIAGNOSIS &&
                                 !ms_wizard_repair_get_applying (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), default_widget_for_step (self, self->step));
}

static void
cancel_work (MsWizard *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
show_step (MsWizard     *self,
           MsWizardStep  step)
{
  /* Leaving a step stops what it started. */
  if (step != self->step)
    cancel_work (self);

  self->step = step;
  adw_leaflet_set_visible_child (self->leaflet, ensure_page (self, step));
  update_actions (self);
  focus_step (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
push_step (MsWizard     *self,
           MsWizardStep  step)
{
  g_array_append_val (self->history, step);
  show_step (self, step);
}

static void
pop_step (MsWizard *self)
{
  g_assert (self->history->len > 1);

  g_array_set_size (self->history, self->history->len - 1);
  show_step (self, g_array_index (self->history, MsWizardStep, self->history->len - 1));
}

/* Back to an earlier step, dropping everything after it. */
static void
return_to_step (MsWizard     *self,
                MsWizardStep  step)
{
  while (self->history->len > 1 &&
         g_array_index (self->history, MsWizardStep, self->history->len - 1) != step)
    g_array_set_size (self->history, self->history->len - 1);

  show_step (self, step);
}

/* A toast's title is Pango markup in libadwaita 1.2, and ours quote file
 * names, errors and servers: always escaped. */
static AdwToast *
toast_new (const char *text)
{
  g_autofree char *markup = ms_untrusted_text_to_markup (text, MS_UNTRUSTED_TEXT_MAX_PARAGRAPH_BYTES);
  AdwToast *toast = adw_toast_new (markup);

  /* libadwaita 1.2's toast is not announced: the wizard says it (plain). */
  g_object_set_data_full (G_OBJECT (toast), "ms-toast-text", g_strdup (text), g_free);

  return toast;
}

static void
add_toast (MsWizard *self,
           AdwToast *toast)
{
  const char *text = g_object_get_data (G_OBJECT (toast), "ms-toast-text");

  if (text != NULL)
    ms_accessible_announce (GTK_WIDGET (self), text);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toast (MsWizard   *self,
       const char *title)
{
  AdwToast *toast = toast_new (title);

  adw_toast_set_timeout (toast, 5);
  add_toast (self, toast);
}

static void
set_profile (MsWizard  *self,
             MsProfile *profile)
{
  g_set_object (&self->profile, profile);
  g_clear_object (&self->report);
  g_clear_pointer (&self->account_settings, ms_account_settings_unref);
  self->saved = FALSE;
}

/* ---- the test ------------------------------------------------------ */

static void
server_finished_cb (MsWizard      *self,
                    MsProbeResult *result,
                    gboolean       alternate,
                    MsAccountTest *test)
{
  if (!alternate && test == self->test)
    ms_testing_page_server_finished (TESTING_PAGE (self), result);
}

/* Which test a result belongs to: a newer one may have replaced it. */
typedef struct
{
  MsWizard      *self;
  MsAccountTest *test;
} TestRun;

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree TestRun *run = user_data;
  g_autoptr(MsWizard) self = run->self;
  g_autoptr(MsAccountTest) test = run->test;
  g_autoptr(MsAccountReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = ms_setup_session_test_finish (MS_SETUP_SESSION (object), result, &error);

  /* A test cancelled and already replaced by a newer one. */
  if (test != self->test)
    return;

  g_signal_handlers_disconnect_by_data (test, self);
  g_clear_object (&self->test);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (report == NULL)
    {
      ms_testing_page_set_running (TESTING_PAGE (self), FALSE);
      update_actions (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  g_set_object (&self->report, report);
  ms_testing_page_show_report (TESTING_PAGE (self), report);
  ms_wizard_handle (self, EVENT_TEST_FINISHED);
}

static void
start_test (MsWizard *self)
{
  TestRun *run;

  g_assert (self->test == NULL);
  g_assert (self->session != NULL && self->profile != NULL);

  g_clear_object (&self->report);
  g_clear_pointer (&self->account_settings, ms_account_settings_unref);
  g_clear_pointer (&self->password, ms_secret_unref);
  /* Signed in, the test logs in with the token: no password is sent. */
  if (!ms_setup_session_get_signed_in (self->session))
    self->password = ms_account_page_dup_password (ACCOUNT_PAGE (self));
  self->saved = FALSE;

  ms_setup_session_set_profile (self->session, self->profile, self->manual);
  if (self->confirmed)
    ms_setup_session_confirm (self->session);
  self->test = g_object_ref (ms_setup_session_prepare_test (self->session, self->password));
  ms_account_test_set_send_test_message (self->test,
                                         ms_testing_page_get_send_test_message (TESTING_PAGE (self)), 0);
  g_signal_connect_object (self->test, "server-finished", G_CALLBACK (server_finished_cb),
                           self, G_CONNECT_SWAPPED);

  ms_testing_page_set_running (TESTING_PAGE (self), TRUE);
  run = g_new (TestRun, 1);
  run->self = g_object_ref (self);
  run->test = g_object_ref (self->test);
  ms_setup_session_test_async (self->session, self->cancellable, test_done_cb, run);

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- the keyring --------------------------------------------------- */

static MsAccountSettings *
ensure_account_settings (MsWizard  *self,
                         GError   **error)
{
  g_autofree char *ca_file = NULL;
  MsAccountSettings *account_settings;

  if (self->account_settings != NULL)
    return self->account_settings;

  /* The session keeps them too: its keyring step stores the password for
   * exactly these. */
  ca_file = g_settings_get_string (self->settings, "extra-ca-file");
  account_settings = ms_setup_session_build_settings (self->session,
                                                      ms_account_page_get_name (ACCOUNT_PAGE (self)),
                                                      ca_file, error);
  if (account_settings == NULL)
    return NULL;

  self->account_settings = ms_account_settings_ref (account_settings);
  return self->account_settings;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MsWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ms_setup_session_store_password_finish (MS_SETUP_SESSION (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->saving = FALSE;
  ms_save_page_set_busy (SAVE_PAGE (self), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (error != NULL)
    {
      /* The D-Bus detail means nothing to the person; the rest is plain. */
      if (g_error_matches (error, MS_KEYRING_ERROR, MS_KEYRING_ERROR_NO_SERVICE))
        {
          g_debug ("No keyring: %s", error->message);
          ms_save_page_show_problem (SAVE_PAGE (self), _("This computer has no keyring service to keep it in."));
        }
      else
        ms_save_page_show_problem (SAVE_PAGE (self), error->message);
      update_actions (self);
      /* The button was disabled while saving, which took the focus away. */
      focus_step (self);
      return;
    }

  self->saved = TRUE;
  ms_wizard_handle (self, EVENT_SAVED);
}

static void
store_password (MsWizard *self)
{
  g_autoptr(GError) error = NULL;

  if (ensure_account_settings (self, &error) == NULL)
    {
      ms_save_page_show_problem (SAVE_PAGE (self), error->message);
      return;
    }

  self->saving = TRUE;
  ms_save_page_set_busy (SAVE_PAGE (self), TRUE);
  ms_setup_session_store_password_async (self->session, self->cancellable,
                                         stored_cb, g_object_ref (self));
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- the lookup (discovery) --------------------------------------- */

static void
attempt_changed_cb (MsWizard           *self,
                    MsDiscoveryAttempt *attempt,
                    MsSetupSession     *session)
{
  /* Sources start inside ms_setup_session_lookup_async() already. */
  if (session != self->session ||
      ms_discovery_attempt_get_state (attempt) != MS_DISCOVERY_STATE_RUNNING)
    return;

  adw_status_page_set_description (ADW_STATUS_PAGE (self->lookup_page),
                                   ms_discovery_source_get_progress_text (ms_discovery_attempt_get_source (attempt)));
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MsWizard) self = user_data;
  MsSetupSession *session = MS_SETUP_SESSION (object);
  g_autoptr(MsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = ms_setup_session_lookup_finish (session, result, &error);

  /* A lookup cancelled and already replaced by a newer one. */
  if (session != self->session || self->discovery == NULL)
    return;

  g_signal_handlers_disconnect_by_data (session, self);
  g_clear_object (&self->discovery);
  gtk_spinner_stop (self->lookup_spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("Nothing found: %s", error->message);

  g_set_object (&self->found, ms_setup_session_get_attempt (session));
  ms_wizard_handle (self, EVENT_LOOKUP_FINISHED);
}

static void
start_lookup (MsWizard *self)
{
  g_assert (self->session != NULL);

  g_clear_object (&self->discovery);
  g_clear_object (&self->found);
  self->confirmed = FALSE;

  g_signal_connect_object (self->session, "attempt-changed", G_CALLBACK (attempt_changed_cb),
                           self, G_CONNECT_SWAPPED);

  adw_status_page_set_description (ADW_STATUS_PAGE (self->lookup_page),
                                   ms_discovery_source_get_progress_text (MS_DISCOVERY_SOURCE_AUTOCONFIG));
  gtk_spinner_start (self->lookup_spinner);

  push_step (self, MS_WIZARD_STEP_LOOKUP);
  /* After the step changed: leaving the account step cancelled its work. */
  ms_setup_session_lookup_async (self->session, self->cancellable, lookup_done_cb, g_object_ref (self));
  self->discovery = g_object_ref (ms_setup_session_get_discovery (self->session));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Where a lookup found the settings, in words for people. */
static char *
describe_source (MsDiscoveryAttempt *attempt)
{
  const char *domain = ms_discovery_attempt_get_domain (attempt);
  g_autofree char *where = NULL;

  switch (ms_discovery_attempt_get_source (attempt))
    {
    case MS_DISCOVERY_SOURCE_PROVIDER_FILE:
      where = g_strdup (_("Mail Setup’s list of providers"));
      break;
    case MS_DISCOVERY_SOURCE_AUTOCONFIG:
    case MS_DISCOVERY_SOURCE_WELL_KNOWN:
    case MS_DISCOVERY_SOURCE_PACC:
    case MS_DISCOVERY_SOURCE_AUTODISCOVER:
      /* Translators: %s is a domain such as example.com */
      where = g_strdup_printf (_("The website of %s"), domain);
      break;
    case MS_DISCOVERY_SOURCE_AUTOCONFIG_HTTP:
    case MS_DISCOVERY_SOURCE_WELL_KNOWN_HTTP:
      /* Translators: %s is a domain such as example.com */
      where = g_strdup_printf (_("The website of %s, over an unencrypted connection"), domain);
      break;
    case MS_DISCOVERY_SOURCE_SRV:
      /* Translators: %s is a domain such as example.com */
      where = g_strdup_printf (_("The DNS records of %s"), domain);
      break;
    case MS_DISCOVERY_SOURCE_AUTODISCOVER_SRV:
      /* Translators: %s is a domain such as example.com */
      where = g_strdup_printf (_("The Autodiscover server the DNS records of %s name"), domain);
      break;
    case MS_DISCOVERY_SOURCE_PUBLIC_DATABASE:
      where = g_strdup (_("Thunderbird’s public list of providers"));
      break;
    case MS_DISCOVERY_SOURCE_GUESS:
      /* Translators: %s is a domain such as example.com */
      where = g_strdup_printf (_("Trying common server names at %s"), domain);
      break;
    case MS_DISCOVERY_SOURCE_MX:
    default:
      /* Translators: %s is a domain such as example.com */
      where = g_strdup_printf (_("The provider %s"), domain);
      break;
    }

  if (ms_discovery_attempt_get_via_mx (attempt))
    /* Translators: the first %s says where settings were found; mail for
     * the address is handled by that provider */
    return g_strdup_printf (_("%s, which handles the mail for your address"), where);

  return g_steal_pointer (&where);
}

static void
confirm_response_cb (MsWizard   *self,
                     const char *response)
{
  if (g_strcmp0 (response, "use") == 0 &&
      (self->step == MS_WIZARD_STEP_SETTINGS || self->step == MS_WIZARD_STEP_MANUAL))
    ms_wizard_handle (self, EVENT_CONFIRMED);
}

/* Settings that came over plain HTTP, through the MX record or from the
 * public database, or that name servers outside the address's domain:
 * nothing is sent before the person says yes. */
static void
ask_confirmation (MsWizard *self)
{
  g_autofree char *concerns = ms_setup_session_dup_concerns (self->session);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: %s explains what is unusual about the settings found */
  body = g_strdup_printf (_("%s Use these servers only if you know they belong to your provider."),
                          concerns);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Send Your Password to These Servers?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "use", _("_Use These Servers"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "use",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the sign-in in the browser (OAuth) ---------------------------- */

/* Whether the address typed signs in in the browser: the same question
 * the session answers for the test (its provider file and profile), asked
 * as the address is typed, so the page asks for no password. */
static void
update_account_sign_in (MsWizard *self)
{
  MsAddress *address = self->account_page != NULL ? ms_account_page_get_address (self->account_page) : NULL;
  g_autoptr(MsSetupSession) session = NULL;
  MsProvider *provider = NULL;
  MsProfile *profile = NULL;

  if (self->account_page == NULL)
    return;

  if (address != NULL && self->database_loaded)
    {
      session = ms_setup_session_new (address, self->database);
      provider = ms_setup_session_find_provider (session);
      profile = provider != NULL ? ms_provider_get_recommended_profile (provider) : NULL;
    }
  if (profile != NULL)
    ms_setup_session_set_profile (session, profile, FALSE);

  if (profile != NULL && ms_setup_session_offers_sign_in (session))
    ms_account_page_set_sign_in (self->account_page, ms_provider_get_display_name (provider),
                                 ms_provider_get_app_password_url (provider));
  else
    ms_account_page_set_sign_in (self->account_page, NULL, NULL);
}

static void
show_sign_in_problem (MsWizard     *self,
                      const GError *error)
{
  ms_sign_in_page_show_problem (SIGN_IN_PAGE (self), error);
  update_actions (self);
  focus_step (self);
  ms_sign_in_page_announce (SIGN_IN_PAGE (self));
}

static void
shown_uri_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MsWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->sign_in == NULL)
    return;

  /* Waiting on would wait for nothing: stop, and say so. */
  g_debug ("No browser for the sign-in: %s", error->message);
  self->browser_failed = TRUE;
  cancel_work (self);
}

/* The authorization URL is built from the provider file's endpoint:
 * opened only if it is still a sign-in address (https, or loopback). */
static void
show_sign_in_uri (MsWizard   *self,
                  const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;

  if (!ms_validate_oauth_endpoint (uri, "authorization URL", &error))
    {
      g_warning ("Not opening the sign-in page: %s", error->message);
      self->browser_failed = TRUE;
      cancel_work (self);
      return;
    }
  if (!GTK_IS_WINDOW (root))
    return;

  /* GTK uses the OpenURI portal inside the Flatpak. */
  gtk_show_uri_full (GTK_WINDOW (root), uri, GDK_CURRENT_TIME, self->cancellable,
                     shown_uri_cb, g_object_ref (self));
}

static gboolean
open_uri_cb (MsWizard      *self,
             const char    *uri,
             MsOAuthSignIn *sign_in)
{
  if (sign_in == self->sign_in)
    show_sign_in_uri (self, uri);

  return TRUE;
}

static void
open_browser_again (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MsWizard *self = MS_WIZARD (widget);
  const char *uri = self->sign_in != NULL ? ms_oauth_sign_in_get_uri (self->sign_in) : NULL;

  if (uri != NULL)
    show_sign_in_uri (self, uri);
}

/* Which sign-in a result belongs to: a newer one may have replaced it. */
typedef struct
{
  MsWizard      *self;
  MsOAuthSignIn *sign_in;
} SignInRun;

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree SignInRun *run = user_data;
  g_autoptr(MsWizard) self = run->self;
  g_autoptr(MsOAuthSignIn) sign_in = run->sign_in;
  g_autoptr(GError) error = NULL;
  gboolean signed_in;

  signed_in = ms_setup_session_sign_in_finish (MS_SETUP_SESSION (object), result, &error);
  g_signal_handlers_disconnect_by_data (sign_in, self);
  if (sign_in != self->sign_in)
    return;

  g_clear_object (&self->sign_in);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (signed_in)
    ms_wizard_handle (self, EVENT_SIGNED_IN);
  else if (self->browser_failed && self->step == MS_WIZARD_STEP_SIGN_IN)
    {
      g_autoptr(GError) no_browser = g_error_new_literal (MS_OAUTH_ERROR, MS_OAUTH_ERROR_NO_BROWSER,
                                                          _("No web browser could be opened."));

      show_sign_in_problem (self, no_browser);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_sign_in_problem (self, error);
  else
    update_actions (self);
}

/* The provider's page in the browser, and the wait for it to come back
 * to the loopback listener, under the step's cancellable: leaving the
 * step (Back, Cancel, the window closing) stops it. */
static void
start_sign_in (MsWizard *self)
{
  g_autoptr(MsOAuthSignIn) sign_in = NULL;
  g_autoptr(GError) error = NULL;
  SignInRun *run;

  /* One cancelled but not yet called back no longer counts. */
  if (self->sign_in != NULL)
    g_signal_handlers_disconnect_by_data (self->sign_in, self);
  g_clear_object (&self->sign_in);
  self->browser_failed = FALSE;

  sign_in = ms_setup_session_new_sign_in (self->session, &error);
  if (sign_in == NULL)
    {
      show_sign_in_problem (self, error);
      return;
    }

  self->sign_in = g_object_ref (sign_in);
  if (sign_in_timeout_for_testing > 0)
    ms_oauth_sign_in_set_timeout (sign_in, sign_in_timeout_for_testing);
  g_signal_connect_object (sign_in, "open-uri", G_CALLBACK (open_uri_cb), self, G_CONNECT_SWAPPED);
  ms_sign_in_page_set_waiting (SIGN_IN_PAGE (self));

  run = g_new (SignInRun, 1);
  run->self = g_object_ref (self);
  run->sign_in = g_object_ref (sign_in);
  ms_setup_session_sign_in_async (self->session, sign_in, self->cancellable, signed_in_cb, run);

  update_actions (self);
  focus_step (self);
  ms_sign_in_page_announce (SIGN_IN_PAGE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A signed-in account is kept already (the tokens, by the session): its
 * settings are saved, no password is, and the save step has nothing to
 * ask. */
static gboolean
save_signed_in (MsWizard *self)
{
  g_autoptr(GError) error = NULL;

  if (ensure_account_settings (self, &error) == NULL ||
      !ms_setup_session_save_settings (self->session, &error))
    {
      toast (self, error->message);
      return FALSE;
    }

  toast (self, _("Your sign-in is kept in the keyring."));
  return TRUE;
}

/* ---- the state machine --------------------------------------------- */

static void prepare_test (MsWizard  *self,
                          MsProfile *profile);

/* The provider's recommended servers, signed in to in the browser, when
 * the session offers it for them; else the settings page as for a
 * password. */
static gboolean
choose_sign_in (MsWizard   *self,
                MsProvider *provider)
{
  MsProfile *profile = ms_provider_get_recommended_profile (provider);

  ms_setup_session_set_profile (self->session, profile, FALSE);
  if (!ms_setup_session_offers_sign_in (self->session))
    return FALSE;

  self->manual = FALSE;
  prepare_test (self, profile);
  ms_sign_in_page_set_provider (SIGN_IN_PAGE (self), ms_provider_get_display_name (provider),
                                ms_provider_get_app_password_url (provider));
  push_step (self, MS_WIZARD_STEP_SIGN_IN);
  /* After the step changed: its work runs under the new step's. */
  start_sign_in (self);

  return TRUE;
}

/* A new session for the address: the provider files, else a lookup. */
static void
choose_settings (MsWizard *self)
{
  MsAddress *address = ms_account_page_get_address (ACCOUNT_PAGE (self));
  g_autofree char *last_profile = g_settings_get_string (self->settings, "last-profile");
  MsProvider *provider;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->discovery);
  self->session = ms_setup_session_new (address, self->database);
  ms_setup_session_set_tls_database (self->session, self->tls_database);
  ms_setup_session_set_trust_store (self->session, self->trust_store);
  ms_setup_session_set_use_public_database (self->session,
                                            g_settings_get_boolean (self->settings, "use-public-provider-database"));
  ms_setup_session_set_discovery_func (self->session, self->discovery_func, self->discovery_data);

  provider = ms_setup_session_find_provider (self->session);
  g_set_object (&self->provider, provider);
  g_clear_object (&self->found);
  self->manual = FALSE;

  if (provider != NULL && ms_provider_get_recommended_profile (provider) != NULL)
    {
      if (ms_account_page_get_uses_sign_in (ACCOUNT_PAGE (self)) && choose_sign_in (self, provider))
        return;
      ms_settings_page_set_provider (SETTINGS_PAGE (self), provider, last_profile);
      push_step (self, MS_WIZARD_STEP_SETTINGS);
    }
  else
    start_lookup (self);
}

/* What the lookup found, or the form when it found nothing; either way
 * in place of the lookup step, so that Back returns to the account. */
static void
show_found (MsWizard *self)
{
  MsAddress *address = ms_account_page_get_address (ACCOUNT_PAGE (self));
  MsProvider *provider = self->found != NULL ? ms_discovery_attempt_get_provider (self->found) : NULL;

  g_array_set_size (self->history, self->history->len - 1);

  if (provider != NULL && ms_provider_get_recommended_profile (provider) != NULL)
    {
      g_autofree char *source = describe_source (self->found);
      g_autofree char *concerns = ms_discovery_attempt_explain_concerns (self->found);

      g_set_object (&self->provider, provider);
      ms_settings_page_set_found (SETTINGS_PAGE (self), provider, ms_address_get_domain (address),
                                  source, concerns);
      push_step (self, MS_WIZARD_STEP_SETTINGS);
    }
  else
    {
      g_autofree char *message = NULL;

      g_clear_object (&self->found);
      /* Translators: %s is the part of an address after the @ */
      message = g_strdup_printf (_("No settings were found for %s. Enter the ones your provider gives."),
                                 ms_address_get_domain (address));
      ms_manual_page_fill (MANUAL_PAGE (self), NULL, ms_address_get_ascii (address));
      push_step (self, MS_WIZARD_STEP_MANUAL);
      toast (self, message);
    }
}

/* The same decision as every command that sends a password. */
static gboolean
needs_confirmation (MsWizard *self)
{
  if (self->confirmed)
    ms_setup_session_confirm (self->session);

  return self->found != NULL && ms_setup_session_needs_confirmation (self->session);
}

static void
prepare_test (MsWizard  *self,
              MsProfile *profile)
{
  set_profile (self, profile);
  ms_testing_page_prepare (TESTING_PAGE (self), profile,
                           ms_address_get_display (ms_account_page_get_address (ACCOUNT_PAGE (self))));
  ms_testing_page_set_provider (TESTING_PAGE (self), self->provider);
}

/* What each event does in each step: one handler per step, and nothing
 * else moves between pages. */

static void
handle_welcome (MsWizard *self,
                Event     event)
{
  if (event == EVENT_NEXT)
    push_step (self, MS_WIZARD_STEP_ACCOUNT);
  else if (event == EVENT_REPAIR)
    {
      push_step (self, MS_WIZARD_STEP_REPAIR_LIST);
      /* After the step changed: its work runs under the new step's. */
      ms_wizard_repair_find (self);
    }
}

static void
handle_account (MsWizard *self,
                Event     event)
{
  if (event == EVENT_NEXT && ms_account_page_get_valid (ACCOUNT_PAGE (self)))
    {
      if (!self->database_loaded)
        self->next_when_loaded = TRUE;
      else
        choose_settings (self);
    }
  else if (event == EVENT_PROVIDERS_LOADED && self->next_when_loaded)
    {
      self->next_when_loaded = FALSE;
      choose_settings (self);
    }
  update_actions (self);
}

static void
handle_sign_in (MsWizard *self,
                Event     event)
{
  if (event == EVENT_SIGNED_IN)
    {
      /* In place of the sign-in: Back from the test goes to the account. */
      g_array_set_size (self->history, self->history->len - 1);
      ms_testing_page_set_signed_in (TESTING_PAGE (self));
      push_step (self, MS_WIZARD_STEP_TESTING);
      start_test (self);
    }
  else if (event == EVENT_SIGN_IN_AGAIN && self->sign_in == NULL)
    start_sign_in (self);
  else if (event == EVENT_USE_APP_PASSWORD && self->sign_in == NULL)
    {
      return_to_step (self, MS_WIZARD_STEP_ACCOUNT);
      ms_account_page_use_app_password (ACCOUNT_PAGE (self));
    }
}

static void
handle_lookup (MsWizard *self,
               Event     event)
{
  if (event == EVENT_LOOKUP_FINISHED)
    show_found (self);
}

static void
handle_settings (MsWizard *self,
                 Event     event)
{
  MsProfile *profile = ms_settings_page_get_profile (SETTINGS_PAGE (self));

  if ((event == EVENT_NEXT || event == EVENT_CONFIRMED) && profile != NULL)
    {
      if (event == EVENT_CONFIRMED)
        self->confirmed = TRUE;
      if (needs_confirmation (self))
        {
          ask_confirmation (self);
          return;
        }

      if (self->found == NULL)
        g_settings_set_string (self->settings, "last-profile", ms_profile_get_id (profile));
      self->manual = FALSE;
      prepare_test (self, profile);
      push_step (self, MS_WIZARD_STEP_TESTING);
    }
  else if (event == EVENT_EDIT_SETTINGS)
    {
      ms_manual_page_fill (MANUAL_PAGE (self), profile,
                           ms_address_get_ascii (ms_account_page_get_address (ACCOUNT_PAGE (self))));
      push_step (self, MS_WIZARD_STEP_MANUAL);
    }
}

static void
handle_manual (MsWizard *self,
               Event     event)
{
  g_autoptr(MsProfile) profile = NULL;

  if ((event != EVENT_NEXT && event != EVENT_CONFIRMED) || !ms_manual_page_get_valid (MANUAL_PAGE (self)))
    return;

  /* A form filled from a lookup with concerns still needs the yes. */
  if (event == EVENT_CONFIRMED)
    self->confirmed = TRUE;
  if (needs_confirmation (self))
    {
      ask_confirmation (self);
      return;
    }

  profile = ms_manual_page_build_profile (MANUAL_PAGE (self));
  self->manual = TRUE;
  prepare_test (self, profile);
  push_step (self, MS_WIZARD_STEP_TESTING);
}

static void
handle_testing (MsWizard *self,
                Event     event)
{
  if (event == EVENT_START_TEST && self->test == NULL)
    start_test (self);
  else if (event == EVENT_CANCEL_TEST && self->test != NULL)
    cancel_work (self);
  else if (event == EVENT_TEST_FINISHED)
    {
      ms_result_page_set_report (RESULT_PAGE (self), self->report);
      push_step (self, MS_WIZARD_STEP_RESULT);
    }
}

static void
handle_result (MsWizard *self,
               Event     event)
{
  if (event == EVENT_NEXT && ms_account_report_works (self->report) &&
      ms_setup_session_get_signed_in (self->session))
    {
      if (save_signed_in (self))
        push_step (self, MS_WIZARD_STEP_EXPORT);
    }
  else if (event == EVENT_NEXT && ms_account_report_works (self->report))
    push_step (self, MS_WIZARD_STEP_SAVE);
  else if (event == EVENT_TEST_AGAIN)
    {
      g_autoptr(MsProfile) profile = g_object_ref (self->profile);

      prepare_test (self, profile);
      pop_step (self);
      start_test (self);
    }
  else if (event == EVENT_CHANGE_PASSWORD)
    {
      return_to_step (self, MS_WIZARD_STEP_ACCOUNT);
      ms_account_page_focus_password (ACCOUNT_PAGE (self));
    }
  else if (event == EVENT_SIGN_IN_AGAIN && ms_setup_session_offers_sign_in (self->session))
    {
      g_autoptr(MsProfile) profile = g_object_ref (self->profile);

      /* The same settings, a new sign-in: Back from it goes to the account. */
      prepare_test (self, profile);
      ms_sign_in_page_set_provider (SIGN_IN_PAGE (self), ms_provider_get_display_name (self->provider),
                                    ms_provider_get_app_password_url (self->provider));
      return_to_step (self, MS_WIZARD_STEP_ACCOUNT);
      push_step (self, MS_WIZARD_STEP_SIGN_IN);
      start_sign_in (self);
    }
}

static void
handle_save (MsWizard *self,
             Event     event)
{
  if (event == EVENT_NEXT && self->saving)
    return;
  if (event == EVENT_NEXT && ms_save_page_get_store (SAVE_PAGE (self)) && !self->saved)
    store_password (self);
  else if (event == EVENT_NEXT || event == EVENT_SAVED)
    {
      if (self->saved)
        toast (self, _("Your password is kept in the keyring."));
      push_step (self, MS_WIZARD_STEP_EXPORT);
    }
}

static void
handle_export (MsWizard *self,
               Event     event)
{
  if (event == EVENT_NEXT)
    push_step (self, MS_WIZARD_STEP_DONE);
}

static void
handle_done (MsWizard *self,
             Event     event)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (event == EVENT_NEXT && GTK_IS_WINDOW (root))
    gtk_window_close (GTK_WINDOW (root));
}

static void
handle_repair_list (MsWizard *self,
                    Event     event)
{
  if (event == EVENT_NEXT && ms_repair_list_page_get_valid (self->repair_list_page))
    ms_wizard_repair_check (self, -1);
  else if (event == EVENT_CANCEL_TEST && ms_wizard_repair_get_checking (self))
    cancel_work (self);
  else if (event == EVENT_REPAIR_DIAGNOSIS)
    push_step (self, MS_WIZARD_STEP_REPAIR_DIAGNOSIS);
}

static void
handle_repair_diagnosis (MsWizard *self,
                         Event     event)
{
  if (event == EVENT_NEXT && ms_repair_diagnosis_page_get_valid (self->repair_diagnosis_page))
    ms_wizard_repair_apply (self);
  else if (event == EVENT_REPAIRED)
    {
      /* In place of the diagnosis, which is out of date now: Back from
       * the summary goes to the list. */
      g_array_set_size (self->history, self->history->len - 1);
      push_step (self, MS_WIZARD_STEP_REPAIR_SUMMARY);
    }
}

static void
handle_repair_summary (MsWizard *self,
                       Event     event)
{
  /* Back too: the list must not show the account as it was. */
  if (event == EVENT_NEXT || event == EVENT_BACK)
    {
      return_to_step (self, MS_WIZARD_STEP_REPAIR_LIST);
      ms_wizard_repair_check_shown (self);
    }
}

static void (* const step_handlers[MS_WIZARD_N_STEPS]) (MsWizard *self, Event event) = {
  [MS_WIZARD_STEP_WELCOME] = handle_welcome,
  [MS_WIZARD_STEP_ACCOUNT] = handle_account,
  [MS_WIZARD_STEP_SIGN_IN] = handle_sign_in,
  [MS_WIZARD_STEP_LOOKUP] = handle_lookup,
  [MS_WIZARD_STEP_SETTINGS] = handle_settings,
  [MS_WIZARD_STEP_MANUAL] = handle_manual,
  [MS_WIZARD_STEP_TESTING] = handle_testing,
  [MS_WIZARD_STEP_RESULT] = handle_result,
  [MS_WIZARD_STEP_SAVE] = handle_save,
  [MS_WIZARD_STEP_EXPORT] = handle_export,
  [MS_WIZARD_STEP_DONE] = handle_done,
  [MS_WIZARD_STEP_REPAIR_LIST] = handle_repair_list,
  [MS_WIZARD_STEP_REPAIR_DIAGNOSIS] = handle_repair_diagnosis,
  [MS_WIZARD_STEP_REPAIR_SUMMARY] = handle_repair_summary,
};

static void
ms_wizard_handle (MsWizard *self,
                  Event     event)
{
  g_assert (self->step < MS_WIZARD_N_STEPS);

  if (event == EVENT_BACK && self->step != MS_WIZARD_STEP_REPAIR_SUMMARY)
    {
      if (self->history->len > 1)
        pop_step (self);
      return;
    }

  step_handlers[self->step] (self, event);
}

/* ---- actions ------------------------------------------------------- */

static void
event_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  static const struct { const char *action; Event event; } events[] = {
    { "wizard.next", EVENT_NEXT },
    { "wizard.back", EVENT_BACK },
    { "wizard.edit-settings", EVENT_EDIT_SETTINGS },
    { "wizard.start-test", EVENT_START_TEST },
    { "wizard.cancel-test", EVENT_CANCEL_TEST },
    { "wizard.retry", EVENT_TEST_AGAIN },
    { "wizard.change-password", EVENT_CHANGE_PASSWORD },
    { "wizard.repair", EVENT_REPAIR },
    { "wizard.sign-in-again", EVENT_SIGN_IN_AGAIN },
    { "wizard.use-app-password", EVENT_USE_APP_PASSWORD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    if (g_str_equal (action_name, events[i].action))
      {
        ms_wizard_handle (MS_WIZARD (widget), events[i].event);
        return;
      }

  g_assert_not_reached ();
}

/* ---- start-up ------------------------------------------------------ */

typedef struct
{
  GTlsDatabase *tls_database;
  MsTrustStore *trust_store;
  GError       *tls_error;
  GError       *trust_error;
} Resources;

static void
resources_free (Resources *resources)
{
  g_clear_object (&resources->tls_database);
  g_clear_object (&resources->trust_store);
  g_clear_error (&resources->tls_error);
  g_clear_error (&resources->trust_error);
  g_free (resources);
}

/* Reading CA files and the trust store is file work: off the main loop. */
static void
load_resources_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  const char *ca_file = task_data;
  Resources *resources = g_new0 (Resources, 1);

  resources->tls_database = ms_tls_database_new (ca_file[0] != '\0' ? ca_file : NULL, &resources->tls_error);
  resources->trust_store = ms_trust_store_new (NULL);
  ms_trust_store_load (resources->trust_store, &resources->trust_error);

  g_task_return_pointer (task, resources, (GDestroyNotify) resources_free);
}

static void
database_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MsWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  ms_provider_database_load_finish (MS_PROVIDER_DATABASE (object), result, &error);
  self->loading = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Could not read the provider files: %s", error->message);

  self->database_loaded = TRUE;
  update_account_sign_in (self);
  ms_wizard_handle (self, EVENT_PROVIDERS_LOADED);
}

static void
resources_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  MsWizard *self = MS_WIZARD (object);
  Resources *resources = g_task_propagate_pointer (G_TASK (result), NULL);

  if (resources == NULL)
    {
      /* Cancelled by ms_wizard_cancel(). */
      self->loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  g_set_object (&self->tls_database, resources->tls_database);
  g_set_object (&self->trust_store, resources->trust_store);
  if (resources->tls_error != NULL)
    toast (self, resources->tls_error->message);
  if (resources->trust_error != NULL)
    g_warning ("%s", resources->trust_error->message);
  resources_free (resources);

  ms_provider_database_load_async (self->database, self->lifetime, database_loaded_cb,
                                   g_object_ref (self));
}

static void
page_validity_cb (MsWizard *self)
{
  update_actions (self);
}

static void
ms_wizard_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ms_wizard_parent_class)->root (widget);

  /* Only now is there a window to hold the default widget and the focus. */
  update_actions (MS_WIZARD (widget));
  focus_step (MS_WIZARD (widget));
}

static void
ms_wizard_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MsWizard *self = MS_WIZARD (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, ms_wizard_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_wizard_dispose (GObject *object)
{
  MsWizard *self = MS_WIZARD (object);

  g_clear_handle_id (&self->load_source, g_source_remove);
  ms_wizard_cancel (self);
  g_cancellable_cancel (self->lifetime);

  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_WIZARD);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->lifetime);
  g_clear_object (&self->database);
  g_clear_object (&self->tls_database);
  g_clear_object (&self->trust_store);
  if (self->discovery != NULL)
    g_signal_handlers_disconnect_by_data (self->discovery, self);
  g_clear_object (&self->discovery);
  g_clear_object (&self->session);
  g_clear_object (&self->found);
  g_clear_object (&self->provider);
  g_clear_object (&self->profile);
  g_clear_object (&self->test);
  g_clear_object (&self->report);
  if (self->sign_in != NULL)
    g_signal_handlers_disconnect_by_data (self->sign_in, self);
  g_clear_object (&self->sign_in);
  g_clear_pointer (&self->repair, ms_repair_state_free);

  G_OBJECT_CLASS (ms_wizard_parent_class)->dispose (object);
}

static void
ms_wizard_finalize (GObject *object)
{
  MsWizard *self = MS_WIZARD (object);

  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->password, ms_secret_unref);
  g_clear_pointer (&self->account_settings, ms_account_settings_unref);

  G_OBJECT_CLASS (ms_wizard_parent_class)->finalize (object);
}

static void
ms_wizard_class_init (MsWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ms_wizard_get_property;
  object_class->dispose = ms_wizard_dispose;
  object_class->finalize = ms_wizard_finalize;

  widget_class->root = ms_wizard_root;

  properties[PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL, MS_TYPE_WIZARD_STEP, MS_WIZARD_STEP_WELCOME,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);


  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, public_lookup_label);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, lookup_page);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, lookup_spinner);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, lookup_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, done_page);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, start_button);
  gtk_widget_class_bind_template_child (widget_class, MsWizard, close_button);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.edit-settings", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.start-test", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.cancel-test", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.retry", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.change-password", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.repair", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.sign-in-again", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.use-app-password", NULL, event_activated);
  gtk_widget_class_install_action (widget_class, "wizard.open-browser-again", NULL, open_browser_again);
  ms_wizard_actions_install (widget_class);
  ms_wizard_repair_install (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel-test", NULL);
  /* Escape goes back a page when no test runs (a disabled action lets
   * the key go on to the next binding). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.back", NULL);
}

static void
ms_wizard_init (MsWizard *self)
{
  MsWizardStep first = MS_WIZARD_STEP_WELCOME;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->history = g_array_new (FALSE, FALSE, sizeof (MsWizardStep));
  g_array_append_val (self->history, first);
  self->cancellable = g_cancellable_new ();
  self->lifetime = g_cancellable_new ();
  self->database = ms_provider_database_new ();
  self->repair = ms_repair_state_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->welcome_page), APPLICATION_ID);

  update_actions (self);
}

/* The welcome page says what goes where: the public lookup is a third
 * party, and it can be turned off. */
static void
update_public_lookup_text (MsWizard *self)
{
  if (g_settings_get_boolean (self->settings, "use-public-provider-database"))
    gtk_label_set_label (self->public_lookup_label,
                         _("If your provider is not in Mail Setup’s own list, Mail Setup looks for its settings on your provider’s website and in DNS, and asks Thunderbird’s public list of providers. That list is run by a third party and only sees the part of your address after the @."));
  else
    gtk_label_set_label (self->public_lookup_label,
                         _("If your provider is not in Mail Setup’s own list, Mail Setup looks for its settings on your provider’s website and in DNS. Asking Thunderbird’s public list of providers is turned off."));
}

/* The CA list, the trusted certificates and the provider files are read
 * in a thread, but only once the first frame is on screen: on two cores,
 * reading them during start-up would delay that frame. The welcome page
 * needs none of them. */
static gboolean
load_resources_cb (gpointer user_data)
{
  MsWizard *self = MS_WIZARD (user_data);
  g_autoptr(GTask) task = NULL;

  self->load_source = 0;
  self->loading = TRUE;

  task = g_task_new (self, self->lifetime, resources_loaded_cb, NULL);
  g_task_set_source_tag (task, load_resources_cb);
  g_task_set_task_data (task, g_settings_get_string (self->settings, "extra-ca-file"), g_free);
  g_task_run_in_thread (task, load_resources_thread);

  return G_SOURCE_REMOVE;
}

MsWizard *
ms_wizard_new (GSettings *settings)
{
  MsWizard *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MS_TYPE_WIZARD, NULL);
  self->settings = g_object_ref (settings);
  update_public_lookup_text (self);
  g_signal_connect_object (settings, "changed::use-public-provider-database",
                           G_CALLBACK (update_public_lookup_text), self, G_CONNECT_SWAPPED);

  /* Below the frame clock's priorities: runs after the first frame. */
  self->load_source = g_idle_add_full (G_PRIORITY_LOW, load_resources_cb, self, NULL);

  return self;
}

/**
 * ms_wizard_build_all_pages:
 *
 * Builds every page now rather than when first shown, for checks that
 * look at the whole wizard (accessible names, say).
 */
void
ms_wizard_build_all_pages (MsWizard *self)
{
  g_return_if_fail (MS_IS_WIZARD (self));

  for (MsWizardStep step = MS_WIZARD_STEP_WELCOME; step < MS_WIZARD_N_STEPS; step++)
    ensure_page (self, step);
}

MsWizardStep
ms_wizard_get_step (MsWizard *self)
{
  g_return_val_if_fail (MS_IS_WIZARD (self), MS_WIZARD_STEP_WELCOME);

  return self->step;
}

/**
 * ms_wizard_get_busy:
 *
 * Returns: whether network (a lookup, a sign-in or a test), keyring or file work
 *   (an export, or reading the provider files and certificates at
 *   start-up), or the repair path's (finding, checking or repairing
 *   accounts) is running or about to
 */
gboolean
ms_wizard_get_busy (MsWizard *self)
{
  g_return_val_if_fail (MS_IS_WIZARD (self), FALSE);

  return self->test != NULL || self->saving || self->discovery != NULL || self->sign_in != NULL ||
         self->exports_running > 0 || self->load_source != 0 || self->loading ||
         (self->repair != NULL && ms_wizard_repair_get_busy (self));
}

/**
 * ms_wizard_get_report:
 *
 * Returns: (transfer none) (nullable): the last test's report
 */
MsAccountReport *
ms_wizard_get_report (MsWizard *self)
{
  g_return_val_if_fail (MS_IS_WIZARD (self), NULL);

  return self->report;
}

/**
 * ms_wizard_set_discovery_func:
 * @func: (nullable): called with every lookup before it starts
 */
void
ms_wizard_set_discovery_func (MsWizard              *self,
                              MsWizardDiscoveryFunc  func,
                              gpointer               user_data)
{
  g_return_if_fail (MS_IS_WIZARD (self));

  self->discovery_func = func;
  self->discovery_data = user_data;
}

/**
 * ms_wizard_cancel:
 *
 * Stops all network, keyring and file work at once, the start-up work and
 * the exports included: for a window that is closing. Nothing new starts
 * afterwards but what the person asks for.
 */
void
ms_wizard_cancel (MsWizard *self)
{
  g_return_if_fail (MS_IS_WIZARD (self));

  /* Busy until each callback has seen its cancellation. */
  if (self->load_source != 0)
    {
      g_clear_handle_id (&self->load_source, g_source_remove);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->lifetime != NULL)
    g_cancellable_cancel (self->lifetime);
}

/* ---- for ms-wizard-actions.c (ms-wizard-private.h) ----------------- */

GtkWidget *
ms_wizard_get_page (MsWizard     *self,
                    MsWizardStep  step)
{
  g_assert (MS_IS_WIZARD (self) && step < MS_WIZARD_N_STEPS);

  return ensure_page (self, step);
}

MsProvider *
ms_wizard_get_provider (MsWizard *self)
{
  return self->provider;
}

MsProfile *
ms_wizard_get_profile (MsWizard *self)
{
  return self->profile;
}

/* The profile to test next, keeping the report until that test. */
void
ms_wizard_set_profile (MsWizard  *self,
                       MsProfile *profile)
{
  g_set_object (&self->profile, profile);
}

MsTrustStore *
ms_wizard_get_trust_store (MsWizard *self)
{
  return self->trust_store;
}

MsSecret *
ms_wizard_get_password (MsWizard *self)
{
  return self->password;
}

GCancellable *
ms_wizard_get_lifetime (MsWizard *self)
{
  return self->lifetime;
}

MsAccountSettings *
ms_wizard_ensure_account_settings (MsWizard  *self,
                                   GError   **error)
{
  return ensure_account_settings (self, error);
}

void
ms_wizard_test_again (MsWizard *self)
{
  ms_wizard_handle (self, EVENT_TEST_AGAIN);
}

void
ms_wizard_set_sign_in_timeout_for_testing (guint seconds)
{
  sign_in_timeout_for_testing = seconds;
}

const char *
ms_wizard_get_sign_in_uri (MsWizard *self)
{
  return self->sign_in != NULL ? ms_oauth_sign_in_get_uri (self->sign_in) : NULL;
}

AdwToast *
ms_wizard_toast_new (const char *text)
{
  return toast_new (text);
}

void
ms_wizard_add_toast (MsWizard *self,
                     AdwToast *toast)
{
  add_toast (self, toast);
}

void
ms_wizard_toast (MsWizard   *self,
                 const char *title)
{
  toast (self, title);
}

/* An export runs under the wizard's lifetime, not the step's work: one
 * the thread may already have written must end with its toast and its
 * button back, whichever page is shown by then. */
void
ms_wizard_export_started (MsWizard *self)
{
  self->exports_running++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Returns: FALSE if ms_wizard_cancel() stopped it: the window is going,
 * or gone, and nothing more is to be shown. */
gboolean
ms_wizard_export_ended (MsWizard *self)
{
  g_assert (self->exports_running > 0);
  self->exports_running--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  return self->lifetime != NULL && !g_cancellable_is_cancelled (self->lifetime);
}

/* ---- for ms-wizard-repair.c (ms-wizard-private.h) ------------------ */

MsRepairState *
ms_wizard_get_repair_state (MsWizard *self)
{
  return self->repair;
}

/* The current step's: cancelled when it is left. */
GCancellable *
ms_wizard_get_cancellable (MsWizard *self)
{
  return self->cancellable;
}

GTlsDatabase *
ms_wizard_get_tls_database (MsWizard *self)
{
  return self->tls_database;
}

/* The repair work started or ended, or a page's validity changed. */
void
ms_wizard_repair_changed (MsWizard *self)
{
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
ms_wizard_repair_event (MsWizard      *self,
                        MsRepairEvent  event)
{
  ms_wizard_handle (self, event == MS_REPAIR_EVENT_APPLIED ? EVENT_REPAIRED : EVENT_REPAIR_DIAGNOSIS);
}
