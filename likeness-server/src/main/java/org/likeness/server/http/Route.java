package org.likeness.server.http;

import io.javalin.http.Handler;
import org.likeness.server.auth.Role;

/**
 * One API route: method, path (Javalin syntax), the role it needs (null: public), and its handler.
 * The server registers exactly this table, and the OpenAPI test compares it with the document.
 */
public record Route(String method, String path, Role role, Handler handler) {}
