package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/cloud"
)

// consentDialog asks, before a run sends anything off this PC, for
// confirmation of exactly what goes where: the plan's host, address and
// every prompt, and that the prompts hold only synthetic data. "Senden"
// stays disabled until the box is ticked; the consent is for this run only.
type consentDialog struct {
	dlg    dialog.Dialog
	text   *widget.Label
	agree  *widget.Check
	send   *kcButton
	cancel *kcButton
	plan   cloud.Plan
	decide func(*cloud.Consent) // nil consent = refused
	done   bool
}

func showConsent(win fyne.Window, msgLang string, plan cloud.Plan, decide func(*cloud.Consent)) *consentDialog {
	c := &consentDialog{plan: plan, decide: decide}
	c.text = wrapped(plan.ConsentTextIn(msgLang))
	c.agree = widget.NewCheck(lang.L("consent.agree", map[string]any{"Host": plan.Endpoint.Host()}), func(on bool) {
		if on {
			c.send.Enable()
		} else {
			c.send.Disable()
		}
	})
	c.send = newKCButtonWithIcon(lang.L("consent.send"), theme.MailSendIcon(), c.onSend)
	c.send.Importance = widget.HighImportance
	c.send.Disable()
	c.cancel = newKCButtonWithIcon(lang.L("consent.cancel"), theme.CancelIcon(), c.onCancel)
	scroll := container.NewVScroll(c.text)
	scroll.SetMinSize(fyne.NewSize(560, 280))
	content := container.NewBorder(nil, container.NewVBox(c.agree, container.NewHBox(c.cancel, c.send)), nil, nil, scroll)
	c.dlg = dialog.NewCustomWithoutButtons(lang.L("consent.title"), content, win)
	c.dlg.SetOnClosed(func() {
		if !c.done { // closed with Escape: nothing is sent
			c.finish(nil)
		}
	})
	c.dlg.Show()
	win.Canvas().Focus(c.agree)
	return c
}

func (c *consentDialog) onSend() {
	if !c.agree.Checked {
		return
	}
	c.finish(c.plan.Grant("gui"))
}

func (c *consentDialog) onCancel() { c.finish(nil) }

func (c *consentDialog) finish(consent *cloud.Consent) {
	if c.done {
		return
	}
	c.done = true
	c.dlg.Hide()
	c.decide(consent)
}
