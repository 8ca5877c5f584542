package org.likeness.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a request it cannot parse, a URI or headers too long, a path it
 * refuses) as {@code application/problem+json} with the security headers, instead of its HTML
 * pages; the API answers one way whoever refuses the request.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  private final ObjectMapper json;
  private final SecurityHeaders security;

  public ProblemErrorHandler(ObjectMapper json, SecurityHeaders security) {
    this.json = json;
    this.security = security;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put("Content-Type", "application/problem+json");
    security.apply(fields::put);
    return ByteBuffer.wrap(body(status, reason));
  }

  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code,
      String message) throws IOException {
    byte[] body = body(code, message);
    response.setContentType("application/problem+json");
    security.apply(response::setHeader);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    baseRequest.setHandled(true);
  }

  private byte[] body(int status, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "about:blank");
    String title = HttpStatus.getMessage(status);
    m.put("title", title);
    m.put("status", status);
    m.put("detail", reason == null || reason.isBlank() ? title : reason);
    try {
      return json.writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      return ("{\"status\":" + status + "}").getBytes(StandardCharsets.US_ASCII);
    }
  }
}
