/** Evidence reports: what a subject's leads rest on, as PDF or self-contained HTML, and their verification. */
package org.likeness.report;
