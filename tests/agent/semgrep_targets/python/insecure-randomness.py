# ruff: noqa
# Test target for insecure-randomness.yaml.
import random
import secrets
import string
from random import randint

ALPHABET = string.ascii_letters + string.digits


def generate_reset_token():
    # ruleid: bastion.python.insecure-randomness
    return "".join(random.choice(ALPHABET) for _ in range(32))


def create_user(name):
    # ruleid: bastion.python.insecure-randomness
    temporary_password = "".join(random.choices(ALPHABET, k=12))
    # ruleid: bastion.python.insecure-randomness
    otp_code = randint(100000, 999999)
    # ruleid: bastion.python.insecure-randomness
    api_key = "%032x" % random.getrandbits(128)
    # ok: bastion.python.insecure-randomness
    session_id = secrets.token_hex(16)
    # ok: bastion.python.insecure-randomness
    invite_code = secrets.randbelow(10**6)
    # ok: bastion.python.insecure-randomness
    password = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return temporary_password, otp_code, api_key, session_id, invite_code, password


class Session:
    def __init__(self):
        # ruleid: bastion.python.insecure-randomness
        self.csrf_token = str(random.random())
        # ok: bastion.python.insecure-randomness
        self.nonce = secrets.token_urlsafe(16)


def make_pin():
    pin = ""
    for _ in range(4):
        # ruleid: bastion.python.insecure-randomness
        pin += str(random.randint(0, 9))
    return pin


def roll_dice():
    # ok: bastion.python.insecure-randomness
    return random.randint(1, 6)


def shuffle_deck(deck):
    # ok: bastion.python.insecure-randomness
    random.shuffle(deck)
    # ok: bastion.python.insecure-randomness
    delay = random.uniform(0.5, 1.5)
    return deck, delay


def pick_colour():
    # ok: bastion.python.insecure-randomness
    colour = random.choice(["red", "green", "blue"])
    return colour


def secure_generator():
    generator = random.SystemRandom()
    # ok: bastion.python.insecure-randomness
    token = generator.choice(ALPHABET)
    return token
