/** The gallery service: every gallery operation once, audited, with the JSON shapes every front end prints. */
package org.likeness.gallery.service;
