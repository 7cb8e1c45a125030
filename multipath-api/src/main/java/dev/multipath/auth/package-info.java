/**
 * Authenticators and keys for {@link dev.multipath.api.Portal.Builder#authenticator}: {@link
 * dev.multipath.auth.NoiseIkAuthenticator} (Noise IK handshake, a MAC or AEAD on every frame, replay window) with
 * its {@link dev.multipath.auth.AuthSettings}, X25519 keys in WireGuard's base64 form ({@link
 * dev.multipath.auth.StaticKeys}), and the pass-through authenticator for tests. Part of the API.
 */
package dev.multipath.auth;
