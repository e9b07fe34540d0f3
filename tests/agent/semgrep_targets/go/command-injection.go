// Test target for command-injection.yaml.
package main

import (
	"net/http"
	"os"
	"os/exec"

	"github.com/gin-gonic/gin"
)

var allowedTools = map[string]bool{"uptime": true, "df": true}

func pingHandler(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	// ruleid: bastion.go.command-injection
	exec.Command("sh", "-c", "ping -c 1 "+host).Run()
	// ruleid: bastion.go.command-injection
	exec.CommandContext(r.Context(), "/bin/bash", "-c", "nslookup "+host).Run()
	// ok: bastion.go.command-injection
	exec.Command("ping", "-c", "1", host).Run()
	// ok: bastion.go.command-injection
	exec.Command("sh", "-c", "uptime").Run()
}

func toolHandler(c *gin.Context) {
	tool := c.Param("tool")
	// ruleid: bastion.go.command-injection
	exec.Command(tool, "--version").Run()
	name := c.Query("name")
	if !allowedTools[name] {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	// ok: bastion.go.command-injection
	exec.Command(name).Run()
}

func main() {
	// ruleid: bastion.go.command-injection
	exec.Command(os.Args[1]).Run()
	script := os.Getenv("HOOK")
	// ok: bastion.go.command-injection
	exec.Command("sh", "-c", script).Run()
}
