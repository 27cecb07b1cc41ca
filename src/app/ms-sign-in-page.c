/* ms-sign-in-page.c: the wizard page that waits for the sign-in in the browser
 *
 * While the provider's page is open in the person's browser, this one
 * says what to do there and waits, with a way to open that page again and
 * to stop. When the sign-in fails it says why in plain words and offers
 * what can be done: try again, or use an app password instead (the only
 * way when Mail Setup has no client at the provider).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ms-accessible.h"
#include "ms-oauth-refresh.h"
#include "ms-sign-in-page.h"
#include "ms-untrusted-text.h"
#include "ms-wizard-page.h"

struct _MsSignInPage
{
  AdwBin         parent_instance;

  GtkLabel      *title_label;
  GtkStack      *stack;
  GtkSpinner    *spinner;
  GtkLabel      *waiting_label;
  GtkLabel      *explain_label;
  GtkButton     *open_again_button;
  GtkButton     *cancel_button;
  GtkLabel      *problem_title;
  GtkLabel      *problem_label;
  GtkButton     *try_again_button;
  GtkButton     *app_password_button;
  GtkLinkButton *app_password_link;

  char          *provider_name;    /* sanitized */
  char          *app_password_url;
  gboolean       waiting;
  gboolean       can_retry;        /* trying again can help */
};

static void ms_sign_in_page_wizard_page_init (MsWizardPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsSignInPage, ms_sign_in_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (MS_TYPE_WIZARD_PAGE, ms_sign_in_page_wizard_page_init))

static void
ms_sign_in_page_finalize (GObject *object)
{
  MsSignInPage *self = MS_SIGN_IN_PAGE (object);

  g_clear_pointer (&self->provider_name, g_free);
  g_clear_pointer (&self->app_password_url, g_free);

  G_OBJECT_CLASS (ms_sign_in_page_parent_class)->finalize (object);
}

static void
ms_sign_in_page_class_init (MsSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ms_sign_in_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ms-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, explain_label);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, open_again_button);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, problem_title);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, try_again_button);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, app_password_button);
  gtk_widget_class_bind_template_child (widget_class, MsSignInPage, app_password_link);
}

static void
ms_sign_in_page_init (MsSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->waiting = TRUE;
  self->can_retry = TRUE;

  ms_sign_in_page_set_provider (self, NULL, NULL);
}

/**
 * ms_sign_in_page_set_provider:
 * @provider_name: (nullable): the provider's name from its file
 *   (sanitized here: the file is not trusted with markup or hidden
 *   characters)
 * @app_password_url: (nullable): its page for app passwords
 */
void
ms_sign_in_page_set_provider (MsSignInPage *self,
                              const char   *provider_name,
                              const char   *app_password_url)
{
  g_autofree char *title = NULL;
  g_autofree char *explain = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (MS_IS_SIGN_IN_PAGE (self));

  name = ms_untrusted_text_sanitize (provider_name, MS_UNTRUSTED_TEXT_MAX_BYTES);
  if (name == NULL || name[0] == '\0')
    {
      g_free (name);
      name = g_strdup (_("your provider"));
    }
  g_free (self->provider_name);
  self->provider_name = g_steal_pointer (&name);
  g_free (self->app_password_url);
  self->app_password_url = g_strdup (app_password_url);

  /* Translators: %s is a provider's name, such as Gmail */
  title = g_strdup_printf (_("Sign In with %s"), self->provider_name);
  gtk_label_set_label (self->title_label, title);
  /* Translators: %s is a provider's name, such as Gmail */
  explain = g_strdup_printf (_("Your web browser shows the sign-in page of %s. Sign in there and allow Mail Setup to use your mail, then come back here."),
                             self->provider_name);
  gtk_label_set_label (self->explain_label, explain);

  if (app_password_url != NULL)
    gtk_link_button_set_uri (self->app_password_link, app_password_url);
}

/* The browser is open (or about to be): the spinner. */
void
ms_sign_in_page_set_waiting (MsSignInPage *self)
{
  g_return_if_fail (MS_IS_SIGN_IN_PAGE (self));

  self->waiting = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "waiting");
  gtk_spinner_start (self->spinner);
}

/* What a screen reader is to say of the page's state once the focus is
 * where the wizard puts it (GTK 4.8 has no live regions: it is said on
 * the focused control). */
void
ms_sign_in_page_announce (MsSignInPage *self)
{
  g_return_if_fail (MS_IS_SIGN_IN_PAGE (self));

  ms_accessible_announce (GTK_WIDGET (self),
                          gtk_label_get_label (self->waiting ? self->waiting_label : self->problem_title));
}

gboolean
ms_sign_in_page_get_waiting (MsSignInPage *self)
{
  g_return_val_if_fail (MS_IS_SIGN_IN_PAGE (self), FALSE);

  return self->waiting;
}

typedef struct
{
  char     *title;
  char     *text;
  gboolean  can_retry;
} Problem;

/* What went wrong in words for people, and whether trying again can help
 * (without a client it cannot: only an app password can). */
static void
describe_problem (MsSignInPage *self,
                  const GError *error,
                  Problem      *problem)
{
  const char *name = self->provider_name;

  problem->can_retry = TRUE;

  if (error->domain != MS_OAUTH_ERROR)
    {
      /* The network's or the provider's words: shown as text only. */
      g_autofree char *detail = ms_untrusted_text_sanitize (error->message, MS_UNTRUSTED_TEXT_MAX_BYTES);

      problem->title = g_strdup (_("The Sign-In Did Not Work"));
      /* Translators: %s says what went wrong, from the network or the provider */
      problem->text = g_strdup_printf (_("Mail Setup could not finish signing you in: %s Check that this computer is online, then try again."),
                                       detail != NULL ? detail : "");
      return;
    }

  switch ((MsOAuthError) error->code)
    {
    case MS_OAUTH_ERROR_CONSENT_REFUSED:
      problem->title = g_strdup (_("You Did Not Allow Mail Setup to Use Your Mail"));
      /* Translators: %s is a provider's name, such as Gmail */
      problem->text = g_strdup_printf (_("Without your permission Mail Setup cannot read or send your mail. Try again, and choose to allow it when %s asks."),
                                       name);
      break;
    case MS_OAUTH_ERROR_UNFINISHED:
      problem->title = g_strdup (_("The Sign-In Was Not Finished"));
      problem->text = g_strdup (_("Your browser did not come back to Mail Setup: it may have been closed, or the sign-in took too long. Try again, and finish signing in in your browser."));
      break;
    case MS_OAUTH_ERROR_NO_BROWSER:
      problem->title = g_strdup (_("No Web Browser Could Be Opened"));
      problem->text = g_strdup (_("Signing in needs a web browser. Install one or choose your default browser in Settings, then try again. An app password works without a browser."));
      break;
    case MS_OAUTH_ERROR_SCOPE_MISSING:
      problem->title = g_strdup (_("Mail Setup Was Not Allowed to Use Your Mail"));
      problem->text = g_strdup (_("You signed in, but did not allow access to your mail. Sign in again and allow Mail Setup to read and send your mail."));
      break;
    case MS_OAUTH_ERROR_NO_CLIENT:
    case MS_OAUTH_ERROR_INVALID_CLIENT:
      /* Translators: %s is a provider's name, such as Gmail */
      problem->title = g_strdup_printf (_("Mail Setup Cannot Sign In with %s Here"), name);
      /* Translators: %s is a provider's name, such as Gmail */
      problem->text = g_strdup_printf (_("This copy of Mail Setup is not registered with %s, so it cannot sign you in in the browser. Use an app password instead: %s makes one for you on its website."),
                                       name, name);
      problem->can_retry = FALSE;
      break;
    case MS_OAUTH_ERROR_INVALID_GRANT:
    case MS_OAUTH_ERROR_BAD_RESPONSE:
    case MS_OAUTH_ERROR_FAILED:
    default:
      problem->title = g_strdup (_("The Sign-In Did Not Work"));
      /* Translators: %s is a provider's name, such as Gmail */
      problem->text = g_strdup_printf (_("%s did not accept the sign-in. Try again; if it keeps failing, use an app password instead."),
                                       name);
      break;
    }
}

/**
 * ms_sign_in_page_show_problem:
 * @error: why the sign-in failed (an #MsOAuthError, or the network's)
 */
void
ms_sign_in_page_show_problem (MsSignInPage *self,
                              const GError *error)
{
  Problem problem = { 0 };

  g_return_if_fail (MS_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (error != NULL);

  describe_problem (self, error, &problem);

  self->waiting = FALSE;
  self->can_retry = problem.can_retry;
  gtk_spinner_stop (self->spinner);
  gtk_label_set_label (self->problem_title, problem.title);
  gtk_label_set_label (self->problem_label, problem.text);
  gtk_widget_set_visible (GTK_WIDGET (self->try_again_button), problem.can_retry);
  gtk_widget_set_visible (GTK_WIDGET (self->app_password_link),
                          !problem.can_retry && self->app_password_url != NULL);
  /* The route that is left is the main one. */
  if (problem.can_retry)
    gtk_widget_remove_css_class (GTK_WIDGET (self->app_password_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->app_password_button), "suggested-action");
  gtk_stack_set_visible_child_name (self->stack, "problem");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->problem_title),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem.text, -1);

  g_free (problem.title);
  g_free (problem.text);
}

/* The title of the problem shown, or NULL while waiting. */
const char *
ms_sign_in_page_get_problem_title (MsSignInPage *self)
{
  g_return_val_if_fail (MS_IS_SIGN_IN_PAGE (self), NULL);

  return self->waiting ? NULL : gtk_label_get_label (self->problem_title);
}

GtkWidget *
ms_sign_in_page_get_default_widget (MsSignInPage *self)
{
  g_return_val_if_fail (MS_IS_SIGN_IN_PAGE (self), NULL);

  if (self->waiting)
    return GTK_WIDGET (self->open_again_button);

  return GTK_WIDGET (self->can_retry ? self->try_again_button : self->app_password_button);
}

/* ---- MsWizardPage -------------------------------------------------- */

static GtkWidget *
wizard_page_get_default_widget (MsWizardPage *page)
{
  return ms_sign_in_page_get_default_widget (MS_SIGN_IN_PAGE (page));
}

static void
ms_sign_in_page_wizard_page_init (MsWizardPageInterface *iface)
{
  iface->get_default_widget = wizard_page_get_default_widget;
}
