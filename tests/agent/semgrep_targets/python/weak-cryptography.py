# ruff: noqa
# Test target for weak-cryptography.yaml: broken ciphers and ECB mode (weak hashes are weak-hash.py's).
import hashlib
import os

from Crypto.Cipher import AES, ARC4, DES, DES3, Blowfish
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, request

app = Flask(__name__)


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
    # ruleid: bastion.python.weak-cryptography.cipher
    fish = Blowfish.new(key, Blowfish.MODE_CBC)
    return des, stream, ecb, cipher, triple, fish


@app.route("/encrypt", methods=["POST"])
def encrypt_note():
    key = os.urandom(24)
    # ruleid: bastion.python.weak-cryptography.cipher
    box = DES3.new(key, DES3.MODE_CFB)
    return box.encrypt(request.get_data())


def encrypt_modern(key, data):
    nonce = os.urandom(12)
    # ok: bastion.python.weak-cryptography.cipher
    sealed = AESGCM(key).encrypt(nonce, data, None)
    # ok: bastion.python.weak-cryptography.cipher
    gcm = AES.new(key, AES.MODE_GCM)
    # ok: bastion.python.weak-cryptography.cipher
    cbc = Cipher(algorithms.AES(key), modes.CBC(os.urandom(16)))
    # ok: bastion.python.weak-cryptography.cipher
    digest = hashlib.md5(data).hexdigest()
    return sealed, gcm, cbc, digest
