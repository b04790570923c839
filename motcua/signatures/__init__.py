"""Digital signatures (PAdES with pyHanko): signer backends, signing, verification."""
