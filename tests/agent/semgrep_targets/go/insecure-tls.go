// Test target for insecure-tls.yaml.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
)

func insecureClient() *http.Client {
	transport := &http.Transport{
		// ruleid: bastion.go.insecure-tls
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	return &http.Client{Transport: transport}
}

func patchedDefault() {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{}
	// ruleid: bastion.go.insecure-tls
	transport.TLSClientConfig.InsecureSkipVerify = true
}

func privateCAClient() (*http.Client, error) {
	pem, err := os.ReadFile("/etc/ssl/internal-ca.pem")
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	// ok: bastion.go.insecure-tls
	config := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	// ok: bastion.go.insecure-tls
	strict := &tls.Config{InsecureSkipVerify: false}
	_ = strict
	return &http.Client{Transport: &http.Transport{TLSClientConfig: config}}, nil
}
