import base64
import os

from Crypto.Cipher import DES
from Crypto.Util.Padding import pad, unpad


def _cipher():
    key = bytes.fromhex(os.environ["CARD_TOKEN_KEY"])[:8]
    return DES.new(key, DES.MODE_ECB)


def encrypt_card_number(card_number):
    padded = pad(card_number.encode(), DES.block_size)
    return base64.b64encode(_cipher().encrypt(padded)).decode()


def decrypt_card_number(token):
    cipher_text = base64.b64decode(token)
    return unpad(_cipher().decrypt(cipher_text), DES.block_size).decode()


def mask(card_number):
    return "*" * (len(card_number) - 4) + card_number[-4:]
