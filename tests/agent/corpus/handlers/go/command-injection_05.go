package main

import (
	"log"
	"net/http"
	"os/exec"
	"strings"

	"github.com/gorilla/mux"
)

func statusLine(service string) string {
	parts := []string{"systemctl", "status", service, "--no-pager"}
	return strings.Join(parts, " ")
}

func serviceStatus(w http.ResponseWriter, r *http.Request) {
	service := mux.Vars(r)["service"]
	line := statusLine(service)
	cmd := exec.Command("/bin/sh", "-c", line)
	out, err := cmd.CombinedOutput()
	if err != nil {
		http.Error(w, "status failed", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write(out)
}

func main() {
	router := mux.NewRouter()
	router.HandleFunc("/services/{service}/status", serviceStatus).Methods(http.MethodGet)
	log.Fatal(http.ListenAndServe(":8080", router))
}
