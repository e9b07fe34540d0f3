# ruff: noqa
# Test target for weak-cryptography.yaml.
import hashlib
import os

from Crypto.Cipher import AES, ARC4, DES
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def hash_password(password):
    # ruleid: bastion.python.weak-cryptography.hash
    return hashlib.md5(password.encode()).hexdigest()


def sign(payload):
    # ruleid: bastion.python.weak-cryptography.hash
    digest = hashlib.sha1(payload).hexdigest()
    # ruleid: bastion.python.weak-cryptography.hash
    legacy = hashlib.new("md5", payload)
    # ruleid: bastion.python.weak-cryptography.hash
    fingerprint = hashes.Hash(hashes.SHA1())
    return digest, legacy, fingerprint


def strong(payload):
    # ok: bastion.python.weak-cryptography.hash
    digest = hashlib.sha256(payload).hexdigest()
    # ok: bastion.python.weak-cryptography.hash
    other = hashlib.new("sha256", payload)
    # ok: bastion.python.weak-cryptography.hash
    etag = hashlib.md5(payload, usedforsecurity=False).hexdigest()
    # ok: bastion.python.weak-cryptography.hash
    blake = hashlib.blake2b(payload)
    return digest, other, etag, blake


def encrypt_legacy(key, data):
    # ruleid: bastion.python.weak-cryptography.cipher
    des = DES.new(key, DES.MODE_CBC, iv=os.urandom(8))
    # ruleid: bastion.python.weak-cryptography.cipher
    stream = ARC4.new(key)
    # ruleid: bastion.python.weak-cryptography.cipher
    ecb = AES.new(key, AES.MODE_ECB)
    # ruleid: bastion.python.weak-cryptography.cipher
    cipher = Cipher(algorithms.AES(key), modes.ECB())
    # ruleid: bastion.python.weak-cryptography.cipher
    triple = Cipher(algorithms.TripleDES(key), modes.CBC(os.urandom(8)))
    return des, stream, ecb, cipher, triple


def encrypt_modern(key, data):
    nonce = os.urandom(12)
    # ok: bastion.python.weak-cryptography.cipher
    sealed = AESGCM(key).encrypt(nonce, data, None)
    # ok: bastion.python.weak-cryptography.cipher
    gcm = AES.new(key, AES.MODE_GCM)
    # ok: bastion.python.weak-cryptography.cipher
    cbc = Cipher(algorithms.AES(key), modes.CBC(os.urandom(16)))
    return sealed, gcm, cbc
