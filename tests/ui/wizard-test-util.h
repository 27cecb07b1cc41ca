/* wizard-test-util.h: driving the real wizard window in UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ms-application.h"
#include "ms-window.h"
#include "ms-wizard.h"

G_BEGIN_DECLS

typedef struct
{
  MsApplication *app;
  MsWindow      *window;
  MsWizard      *wizard;
} WizardFixture;

typedef gboolean (*WaitFunc) (gpointer data);

void        wizard_fixture_start     (WizardFixture *fixture,
                                      int            width,
                                      int            height);
void        wizard_fixture_open      (WizardFixture *fixture,
                                      int            width,
                                      int            height);
void        wizard_fixture_close     (WizardFixture *fixture);
void        wait_window_closed       (WizardFixture *fixture,
                                      guint          seconds);

GtkLabel   *find_label_containing    (GtkWidget     *root,
                                      const char    *part);

void        wait_until               (WaitFunc       func,
                                      gpointer       data,
                                      guint          seconds,
                                      const char    *what);
void        wait_for_step            (MsWizard      *wizard,
                                      MsWizardStep   step,
                                      guint          seconds);
void        wait_not_busy            (MsWizard      *wizard,
                                      guint          seconds);
void        wait_painted             (GtkWidget     *widget);

GtkWidget  *find_by_id               (GtkWidget     *root,
                                      const char    *id);
GtkWidget  *find_button_with_label   (GtkWidget     *root,
                                      const char    *label_prefix);
GtkWidget  *find_visible_by_id       (MsWizard      *wizard,
                                      const char    *id);
void        click                    (GtkWidget     *button);
void        set_text                 (MsWizard      *wizard,
                                      const char    *id,
                                      const char    *text);

void        screenshot               (GtkWidget     *widget,
                                      const char    *name);

char       *require_env              (const char    *name);
char       *read_test_password       (void);
void        write_provider           (const char    *domain,
                                      const char    *body);
char       *server_xml               (const char    *kind,
                                      const char    *type,
                                      const char    *host,
                                      const char    *port,
                                      const char    *socket_type,
                                      const char    *username);
void        use_test_ca              (void);

G_END_DECLS
