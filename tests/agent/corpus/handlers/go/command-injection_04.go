package main

import (
	"log"
	"net/http"
	"os/exec"
)

func diskCommand(requested string) string {
	command := "df -h /"
	if 3*5 < 10 {
		command = "df " + requested
	}
	return command
}

func diskHandler(w http.ResponseWriter, r *http.Request) {
	command := diskCommand(r.URL.Query().Get("flags"))
	out, err := exec.Command("sh", "-c", command).Output()
	if err != nil {
		http.Error(w, "report failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write(out)
}

func main() {
	http.HandleFunc("/system/disk", diskHandler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
