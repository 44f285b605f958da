// Package webview is KI-Check's accessible view: plain, semantic HTML pages
// served to the default browser, for people who use a screen reader or the
// keyboard alone (Fyne 2.7 exposes nothing to screen readers; browsers do).
//
// It covers the clerk's and the quiz participant's tasks over the same
// capability packages the Fyne window calls, with no logic of its own:
// "Arbeitsplatz prüfen" (check.Run with progress, cancel, the verdict's
// plain texts, the signed report's files via check.Export), the hardware
// and fit overview (hardware.Describe, fit.ThisPC) and taking a quiz
// (quizsession, learning). Every text is a message id (assets/lang
// *.webview.json and the GUI's own ids), in German and English.
//
// Security: the server listens on 127.0.0.1 only, on a port the OS picks.
// Every path begins with a random per-session token (32 bytes, compared in
// constant time); a request without it gets 404. The Host header must name
// the loopback address and port (against DNS rebinding), there are no CORS
// headers, forms carry the token as a CSRF field and cross-origin POSTs are
// refused (http.CrossOriginProtection). Pages send a strict
// Content-Security-Policy (no script at all), no-referrer and no-store.
//
// No script is needed: progress pages have an "Aktualisieren" link that
// waits for the next step (long poll) instead of a timed refresh, which
// WCAG 2.2.1 would count against the page.
//
//	srv, err := webview.Start(ctx, webview.Options{DataDir: dir, DB: db})
//	fmt.Println(srv.URL())
//	webview.OpenBrowser(srv.URL())
//	<-srv.Done() // ctx ended or srv.Close()
package webview
