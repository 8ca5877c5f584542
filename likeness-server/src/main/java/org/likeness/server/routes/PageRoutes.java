package org.likeness.server.routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.likeness.engine.FaceEngine;
import org.likeness.server.http.Route;

/** Public routes: the review pages (photos, footage, unknown faces, a person), health, and the OpenAPI document. */
public final class PageRoutes {
  private static final List<String> PAGES = List.of("/web/index.html", "/web/clusters.html", "/web/videos.html", "/web/person.html");
  /** Where a page takes the script every page shares ({@code web/page-common.js}), as an inline script of its own. */
  private static final String COMMON = "<!-- likeness:page-common -->";
  private final FaceEngine engine;
  private final List<String> pages;

  public PageRoutes(FaceEngine engine) {
    this.engine = engine;
    try {
      String common = "<script>\n" + resource("/web/page-common.js") + "</script>";
      List<String> out = new java.util.ArrayList<>();
      for (String page : PAGES) {
        String html = resource(page);
        if (!html.contains(COMMON)) {
          throw new IllegalStateException(page + " has no " + COMMON);
        }
        out.add(html.replace(COMMON, common));
      }
      this.pages = List.copyOf(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/", null, ctx -> ctx.contentType("text/html; charset=utf-8").result(pages.get(0))),
        new Route("GET", "/clusters", null, ctx -> ctx.contentType("text/html; charset=utf-8").result(pages.get(1))),
        new Route("GET", "/videos", null, ctx -> ctx.contentType("text/html; charset=utf-8").result(pages.get(2))),
        // one subject across all media; the page reads gallery and subject from its path
        new Route("GET", "/people/{gallery}/{subject}", null,
            ctx -> ctx.contentType("text/html; charset=utf-8").result(pages.get(3))),
        // an unknown person (an unknown-faces cluster) on the same page: /people?cluster=ID
        new Route("GET", "/people", null, ctx -> ctx.contentType("text/html; charset=utf-8").result(pages.get(3))),
        new Route("GET", "/v1/health", null, ctx -> ctx.json(new Health("ok", engine.pack().id()))),
        new Route("GET", "/v1/openapi.json", null, ctx -> ctx.contentType("application/json").result(resource("/openapi.json"))));
  }

  /** The pages' HTML as served (the security policy admits their inline scripts by hash). */
  public List<String> pages() {
    return pages;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PageRoutes.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The health answer: the server is up, with the pack it serves. */
  record Health(String status, String pack) {}
}
