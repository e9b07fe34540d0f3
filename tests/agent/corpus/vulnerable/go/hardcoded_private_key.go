package licensing

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
)

const signingKeyPEM = `-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEA8YRgh4DZFSWiupkC3WlTWyPNOU0l6iMBntPJN2vIpjXW3ekT
m/yA5tBaQBIp2ej8cRdQmk5ezVS/63xQJUs1vGAGBkmt+/qHhSVruB+JcLCx15Ye
C8xYKWY79Z1VRVZtCsgamyUR6cdFPBdidO+t7VhsGwmq+6/I44MubB3yJnr8cJRk
+liJZm062mppbNCpUxPqQQesMEHANDMspjh3T1UL1fJ97UiRTmnCzLFQwXGwhFSg
xzOc/tVKro5pkt53n+2Ihi++gQ2wwH+yEbAEFayjzuRCSlp27DTV1b1qXZS6aNXm
UAyQuLHdc2Gqxhofnl4vLQs6a+Y3+KT0o2N6sksYMHFS82u1HT84aQ0KS3DI/bND
-----END RSA PRIVATE KEY-----`

func signingKey() (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(signingKeyPEM))
	if block == nil {
		return nil, errors.New("licensing: no PEM block")
	}
	return x509.ParsePKCS1PrivateKey(block.Bytes)
}

func SignLicense(payload []byte) ([]byte, error) {
	key, err := signingKey()
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(payload)
	return rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
}
