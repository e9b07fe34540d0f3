// Test target for code-injection.yaml.
package main

import (
	"html/template"
	"net/http"
	"plugin"

	"github.com/traefik/yaegi/interp"
)

var greeting = template.Must(template.New("greeting").Parse("Hello {{.}}"))

func greetHandler(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// ruleid: bastion.go.code-injection
	tmpl, _ := template.New("page").Parse("<h1>Hello " + name + "</h1>")
	tmpl.Execute(w, nil)
	// ok: bastion.go.code-injection
	greeting.Execute(w, name)
}

func evalHandler(w http.ResponseWriter, r *http.Request) {
	interpreter := interp.New(interp.Options{})
	// ruleid: bastion.go.code-injection
	result, _ := interpreter.Eval(r.FormValue("code"))
	// ok: bastion.go.code-injection
	constant, _ := interpreter.Eval("1 + 1")
	_, _ = result, constant
}

func pluginHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: bastion.go.code-injection
	p, _ := plugin.Open(r.URL.Query().Get("plugin"))
	// ok: bastion.go.code-injection
	q, _ := plugin.Open("/usr/lib/app/plugins/export.so")
	_, _ = p, q
}
