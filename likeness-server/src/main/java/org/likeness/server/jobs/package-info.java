/** Video jobs: uploads queued, scanned by a worker, stored so that a restart loses none. */
package org.likeness.server.jobs;
