/** The API's route groups, one per resource: pages, engine, galleries, subjects, faces, audit. */
package org.likeness.server.routes;
