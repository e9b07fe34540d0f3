// Test target for insecure-deserialization.yaml.
package main

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"net/http"
	"os"
)

type Job struct {
	Name string
	Args []string
}

func submitHandler(w http.ResponseWriter, r *http.Request) {
	var job Job
	// ruleid: bastion.go.insecure-deserialization
	if err := gob.NewDecoder(r.Body).Decode(&job); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
	}
	var safe Job
	// ok: bastion.go.insecure-deserialization
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&safe); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
	}
}

func loadCache(path string) (Job, error) {
	var job Job
	data, err := os.ReadFile(path)
	if err != nil {
		return job, err
	}
	// ok: bastion.go.insecure-deserialization
	err = gob.NewDecoder(bytes.NewReader(data)).Decode(&job)
	return job, err
}
