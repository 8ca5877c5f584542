/** HTTP plumbing: routes, request reading with limits, the engine gate, problem+json answers. */
package org.likeness.server.http;
