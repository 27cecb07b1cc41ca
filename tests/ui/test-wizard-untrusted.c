/* test-wizard-untrusted.c: the wizard refuses hostile input and shows hostile text as text
 *
 * Issue 9: the account page (name, address) and the manual-settings page
 * (host, port, username) go through the one validator and show its
 * message on the page; a provider's words reach labels and rows only
 * cleaned and never as Pango markup. The real wizard, under Xvfb; no
 * server is contacted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "ms-certificate-dialog.h"
#include "ms-certificate-info.h"
#include "ms-untrusted-text.h"
#include "wizard-test-util.h"

static void
assert_no_hidden (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* A row's subtitle may put a server's detail on a line of its own. */
      if (c != '\n')
        g_assert_false (ms_untrusted_text_is_hidden_character (c));
    }
}

/* Every label under @root: no hidden character in any, and the one that
 * shows @literal shows it as text. Returns how many showed it. */
static guint
check_labels (GtkWidget  *root,
              const char *literal)
{
  guint found = 0;

  if (GTK_IS_LABEL (root))
    {
      const char *text = gtk_label_get_label (GTK_LABEL (root));

      assert_no_hidden (text);
      if (strstr (text, literal) != NULL)
        {
          g_assert_false (gtk_label_get_use_markup (GTK_LABEL (root)));
          /* What is drawn is what the provider wrote, not bold text. */
          g_assert_nonnull (strstr (pango_layout_get_text (gtk_label_get_layout (GTK_LABEL (root))), literal));
          found++;
        }
    }

  if (ADW_IS_PREFERENCES_ROW (root) && strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), literal) != NULL)
    g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (root)));

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    found += check_labels (child, literal);

  return found;
}

static GtkWidget *
hint (WizardFixture *f)
{
  return find_visible_by_id (f->wizard, "address_hint");
}

static void
assert_refused (WizardFixture *f,
                GtkWidget     *label,
                GtkWidget     *row,
                const char    *words)
{
  const char *text = gtk_label_get_label (GTK_LABEL (label));

  g_test_message ("shown: %s", text);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (text, words));
  g_assert_nonnull (strstr (text, "refused"));
  assert_no_hidden (text);
  if (row != NULL)
    g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_false (gtk_widget_get_sensitive (find_visible_by_id (f->wizard, "continue_button")));
}

static void
test_account_page (void)
{
  WizardFixture f = { 0 };

  wizard_fixture_open (&f, 480, 720);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);

  set_text (f.wizard, "address_row", "pat@hostile.test");
  set_text (f.wizard, "password_row", "secret");
  g_assert_true (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")) ||
                 gtk_editable_get_text (GTK_EDITABLE (find_visible_by_id (f.wizard, "name_row")))[0] == '\0');

  /* A pasted name with a text-direction override, or an escape. */
  set_text (f.wizard, "name_row", "Pat \342\200\256elpmaxE");
  assert_refused (&f, hint (&f), find_visible_by_id (f.wizard, "name_row"), "Your name");
  screenshot (GTK_WIDGET (f.window), "wizard-account-name-refused.png");
  set_text (f.wizard, "name_row", "Pat\033]0;owned\007");
  assert_refused (&f, hint (&f), find_visible_by_id (f.wizard, "name_row"), "Your name");

  /* Quotes, $(…) and non-ASCII are a valid name. */
  set_text (f.wizard, "name_row", "Pat O'Brien \"$(id)\" Ñandú");
  g_assert_true (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  g_assert_false (gtk_widget_has_css_class (find_visible_by_id (f.wizard, "name_row"), "error"));

  wizard_fixture_close (&f);
}

static void
test_manual_page (void)
{
  WizardFixture f = { 0 };
  GtkWidget *problem;

  wizard_fixture_open (&f, 480, 720);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f.wizard, "name_row", "Pat");
  set_text (f.wizard, "address_row", "pat@hostile.test");
  set_text (f.wizard, "password_row", "secret");
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);
  click (find_visible_by_id (f.wizard, "edit_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_MANUAL, 5);
  problem = find_visible_by_id (f.wizard, "problem_label");
  g_assert_false (gtk_widget_get_visible (problem));

  /* A port hidden in the host name would move the connection. */
  set_text (f.wizard, "incoming_host_row", "imap.hostile.test:2525");
  assert_refused (&f, problem, find_visible_by_id (f.wizard, "incoming_host_row"), "Server for receiving mail");
  screenshot (GTK_WIDGET (f.window), "wizard-manual-host-refused.png");
  set_text (f.wizard, "incoming_host_row", "imap.hostile.test\"><b>x</b>");
  assert_refused (&f, problem, find_visible_by_id (f.wizard, "incoming_host_row"), "Server for receiving mail");
  set_text (f.wizard, "incoming_host_row", "imap.hostile.test");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_false (gtk_widget_has_css_class (find_visible_by_id (f.wizard, "incoming_host_row"), "error"));

  set_text (f.wizard, "incoming_username_row", "pat\342\200\250RSET");
  assert_refused (&f, problem, find_visible_by_id (f.wizard, "incoming_username_row"), "Username for receiving mail");
  set_text (f.wizard, "incoming_username_row", "pat@hostile.test");

  set_text (f.wizard, "outgoing_host_row", "smtp.hostile.test;id");
  assert_refused (&f, problem, find_visible_by_id (f.wizard, "outgoing_host_row"), "Server for sending mail");
  set_text (f.wizard, "outgoing_host_row", "smtp.hostile.test");
  set_text (f.wizard, "outgoing_username_row", "pat\033[2J");
  assert_refused (&f, problem, find_visible_by_id (f.wizard, "outgoing_username_row"), "Username for sending mail");
  set_text (f.wizard, "outgoing_username_row", "pat@hostile.test");

  set_text (f.wizard, "incoming_port_row", "0");
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_true (gtk_widget_has_css_class (find_visible_by_id (f.wizard, "incoming_port_row"), "error"));
  g_assert_false (gtk_widget_has_css_class (find_visible_by_id (f.wizard, "outgoing_username_row"), "error"));
  g_assert_false (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")));
  set_text (f.wizard, "incoming_port_row", "993");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_false (gtk_widget_has_css_class (find_visible_by_id (f.wizard, "incoming_port_row"), "error"));
  g_assert_true (gtk_widget_get_sensitive (find_visible_by_id (f.wizard, "continue_button")));

  wizard_fixture_close (&f);
}

/* The provider's name with markup in it, and profile texts with escape
 * sequences, line separators and bidi overrides, on the settings page. */
static void
test_provider_text (void)
{
  WizardFixture f = { 0 };
  AdwLeaflet *leaflet;
  guint shown;

  wizard_fixture_open (&f, 480, 720);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f.wizard, "name_row", "Pat");
  set_text (f.wizard, "address_row", "pat@markup.test");
  set_text (f.wizard, "password_row", "secret");
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);

  leaflet = ADW_LEAFLET (find_by_id (GTK_WIDGET (f.wizard), "leaflet"));
  wait_painted (GTK_WIDGET (f.window));
  shown = check_labels (adw_leaflet_get_visible_child (leaflet), "<b>Big</b> & Co");
  g_assert_cmpuint (shown, >=, 1);
  g_assert_cmpuint (check_labels (adw_leaflet_get_visible_child (leaflet), "Home[2J"), >=, 1);
  g_assert_cmpuint (check_labels (adw_leaflet_get_visible_child (leaflet), "One Two"), >=, 1);
  screenshot (GTK_WIDGET (f.window), "wizard-settings-hostile-provider.png");

  wizard_fixture_close (&f);
}

static GPtrArray *
choice_titles (GtkWidget *widget,
               GPtrArray *titles)
{
  if (ADW_IS_ACTION_ROW (widget))
    g_ptr_array_add (titles, g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    choice_titles (child, titles);

  return titles;
}

/* "(recommended)" is what the provider file says (recommended="true"),
 * also for the profiles with Charter's names: here Desktop is. It was
 * written into Mobile's title, whatever the file said. */
static void
test_recommended_from_file (void)
{
  WizardFixture f = { 0 };
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *focus;

  wizard_fixture_open (&f, 480, 720);
  click (find_visible_by_id (f.wizard, "start_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_ACCOUNT, 5);
  set_text (f.wizard, "name_row", "Pat");
  set_text (f.wizard, "address_row", "pat@desk.test");
  set_text (f.wizard, "password_row", "secret");
  click (find_visible_by_id (f.wizard, "continue_button"));
  wait_for_step (f.wizard, MS_WIZARD_STEP_SETTINGS, 10);

  choice_titles (find_visible_by_id (f.wizard, "profiles_group"), titles);
  g_assert_cmpuint (titles->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, "Mobile");
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, "Desktop (recommended)");
  /* And it is the one chosen, with the focus. */
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_true (GTK_IS_CHECK_BUTTON (focus));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (focus)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_ancestor (focus, ADW_TYPE_ACTION_ROW))),
                   ==, "Desktop (recommended)");

  wizard_fixture_close (&f);
}

/* A self-signed certificate whose names invent lines and reverse text:
 * made with GnuTLS, because certtool's templates cannot carry them. */
static GTlsCertificate *
make_hostile_certificate (const char *cn)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t pem = { NULL, 0 };
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;
  guint8 serial = 9;
  time_t now = time (NULL);

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_version (crt, 3), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_serial (crt, &serial, 1), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_activation_time (crt, now - 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_expiration_time (crt, now + 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen (cn)), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key (crt, key), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem), ==, 0);

  certificate = g_tls_certificate_new_from_pem ((const char *) pem.data, pem.size, &error);
  g_assert_no_error (error);

  gnutls_free (pem.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);

  return certificate;
}

/* Finding 12: the trust dialog showed a subject's U+2028 as a new line
 * ("Trusted by Mail Setup: yes") and its bidi marks. */
static void
test_certificate_dialog (void)
{
  g_autoptr(GTlsCertificate) certificate =
    make_hostile_certificate ("mail.hostile.test\342\200\250Trusted by Mail Setup: yes\342\200\256kO");
  g_autoptr(MsCertificateInfo) info =
    ms_certificate_info_new (certificate, G_TLS_CERTIFICATE_UNKNOWN_CA, "mail.hostile.test", 993);
  GtkWidget *dialog = ms_certificate_dialog_new (NULL, info);

  gtk_window_present (GTK_WINDOW (dialog));
  wait_painted (dialog);
  g_assert_cmpuint (check_labels (dialog, "mail.hostile.test Trusted by Mail Setup: yes"), >=, 1);
  g_assert_cmpuint (check_labels (dialog, "Trusted by Mail Setup: yes\n"), ==, 0);
  screenshot (dialog, "certificate-dialog-hostile.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  write_provider ("hostile.test",
                  "<incomingServer type=\"imap\"><hostname>imap.hostile.test</hostname><port>993</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>\n"
                  "<outgoingServer type=\"smtp\"><hostname>smtp.hostile.test</hostname><port>465</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>\n");
  /* write_provider() names it "Test Mail (…)"; the file's second
   * displayName is ignored, so the markup goes in the short name the
   * profiles' texts quote, and in the profiles themselves. */
  write_provider ("markup.test",
                  "<displayShortName>&lt;b&gt;Big&lt;/b&gt; &amp; Co</displayShortName>\n"
                  "<ms:profile id=\"mobile\" recommended=\"true\"><ms:name>Mobile</ms:name>"
                  "<incomingServer type=\"imap\"><hostname>imap.markup.test</hostname><port>993</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>"
                  "<outgoingServer type=\"smtp\"><hostname>smtp.markup.test</hostname><port>465</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer></ms:profile>\n"
                  "<ms:profile id=\"home\"><ms:name>Home&#27;[2J&#x202E;</ms:name>"
                  "<ms:description>One&#8232;Two&#27;]0;owned&#7;</ms:description>"
                  "<incomingServer type=\"imap\"><hostname>imap.markup.test</hostname><port>993</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>"
                  "<outgoingServer type=\"smtp\"><hostname>smtp.markup.test</hostname><port>25</port>"
                  "<socketType>plain</socketType><username>%EMAILADDRESS%</username></outgoingServer></ms:profile>\n");

  write_provider ("desk.test",
                  "<ms:profile id=\"mobile\"><ms:name>Mobile</ms:name>"
                  "<incomingServer type=\"imap\"><hostname>imap.desk.test</hostname><port>993</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>"
                  "<outgoingServer type=\"smtp\"><hostname>smtp.desk.test</hostname><port>465</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer></ms:profile>\n"
                  "<ms:profile id=\"desktop\" recommended=\"true\"><ms:name>Desktop</ms:name>"
                  "<incomingServer type=\"imap\"><hostname>imap.desk.test</hostname><port>993</port>"
                  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>"
                  "<outgoingServer type=\"smtp\"><hostname>smtp.desk.test</hostname><port>587</port>"
                  "<socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer></ms:profile>\n");

  g_test_add_func ("/ui/wizard-untrusted/account-page", test_account_page);
  g_test_add_func ("/ui/wizard-untrusted/manual-page", test_manual_page);
  g_test_add_func ("/ui/wizard-untrusted/provider-text", test_provider_text);
  g_test_add_func ("/ui/wizard-untrusted/certificate-dialog", test_certificate_dialog);
  g_test_add_func ("/ui/wizard-untrusted/recommended-from-file", test_recommended_from_file);

  return g_test_run ();
}
