package profiles

import (
	"html/template"
	"net/http"
)

var profileTmpl = template.Must(template.New("profile").Parse(`<!doctype html>
<html><body>
<h1>{{.Name}}</h1>
<section class="bio">{{.Bio}}</section>
</body></html>`))

type profileView struct {
	Name string
	Bio  template.HTML
}

func HandlePreview(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	view := profileView{
		Name: r.PostForm.Get("name"),
		Bio:  template.HTML(r.PostForm.Get("bio")),
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := profileTmpl.Execute(w, view); err != nil {
		http.Error(w, "render failed", http.StatusInternalServerError)
	}
}
