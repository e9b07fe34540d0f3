// Test target for weak-cryptography.yaml.
package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/md5"
	"crypto/rand"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
)

func hashPassword(password string) string {
	// MD5 of a password is the weak-hash rule's (CWE-328); this rule is about ciphers.
	// ok: bastion.go.weak-cryptography.cipher
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func fingerprint(data []byte) []byte {
	h := sha1.New()
	h.Write(data)
	strong := sha256.Sum256(data)
	return append(h.Sum(nil), strong[:]...)
}

func encryptLegacy(key, data []byte) []byte {
	// ruleid: bastion.go.weak-cryptography.cipher
	block, _ := des.NewCipher(key)
	// ruleid: bastion.go.weak-cryptography.cipher
	stream, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	stream.XORKeyStream(out, data)
	_ = block
	return out
}

func encryptECB(key, data []byte) []byte {
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(data))
	for start := 0; start < len(data); start += aes.BlockSize {
		// ruleid: bastion.go.weak-cryptography.cipher
		block.Encrypt(out[start:start+aes.BlockSize], data[start:start+aes.BlockSize])
	}
	return out
}

func encryptGCM(key, data []byte) ([]byte, error) {
	// ok: bastion.go.weak-cryptography.cipher
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	// ok: bastion.go.weak-cryptography.cipher
	return gcm.Seal(nonce, nonce, data, nil), nil
}
