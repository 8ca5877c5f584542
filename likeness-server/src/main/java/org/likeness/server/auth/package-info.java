/** API keys with roles: the key store and the authenticator in front of every route. */
package org.likeness.server.auth;
