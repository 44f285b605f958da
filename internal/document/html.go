package document

// HTMLHead is the start of the HTML pages KI-Check writes for people (the
// report, the Steckbrief and the portfolio), for html/template: it
// defines "head", which a page calls first ({{template "head" .}}) and
// goes on with its <style>. Language and title come from .Lang and
// .Title; the content security policy lets the page load nothing and run
// no script (inline styles only).
const HTMLHead = `{{define "head"}}<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{{.Title}}</title>
{{end}}`
