package metrics

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"time"
)

const corporateCA = "/etc/ssl/certs/corp-root-ca.pem"

func newScrapeClient() (*http.Client, error) {
	pem, err := os.ReadFile(corporateCA)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("metrics: no certificates in " + corporateCA)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	return &http.Client{Transport: transport, Timeout: 5 * time.Second}, nil
}
