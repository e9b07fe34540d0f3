// Test target for command-injection.yaml.
package main

import (
	"fmt"
	"net/http"
	"os/exec"
)

var tools = map[string]string{"git": "/usr/bin/git"}

func pingHandler(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	// ruleid: bastion.go.command-injection
	out, _ := exec.Command("sh", "-c", "ping -c 1 "+host).Output()
	// ruleid: bastion.go.command-injection
	dig, _ := exec.CommandContext(r.Context(), "/bin/bash", "-c", fmt.Sprintf("dig %s", host)).Output()
	// ok: bastion.go.command-injection
	safe, _ := exec.Command("ping", "-c", "1", host).Output()
	// ok: bastion.go.command-injection
	constant, _ := exec.Command("sh", "-c", "uptime").Output()
	fmt.Fprintln(w, out, dig, safe, constant)
}

func archive(directory string) error {
	command := "tar czf /tmp/backup.tgz " + directory
	// ruleid: bastion.go.command-injection
	return exec.Command("sh", "-c", command).Run()
}

func runTool(w http.ResponseWriter, r *http.Request) {
	tool := r.FormValue("tool")
	// ruleid: bastion.go.command-injection.tainted-program
	out, _ := exec.Command(tool, "--version").Output()
	// ok: bastion.go.command-injection.tainted-program
	allowed, _ := exec.Command(tools[tool], "--version").Output()
	// ok: bastion.go.command-injection.tainted-program
	file, _ := exec.Command("/usr/bin/file", tool).Output()
	fmt.Fprintln(w, out, allowed, file)
}
