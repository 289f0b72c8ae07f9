/* display.h - configuration keys and values as the report shows them: the
 * one table of display names for tables, text and figures ("relu" -> "ReLU",
 * "euclidean" -> "Euclidean", "cross-entropy" -> "CE" where a figure has
 * little room; "learning_rate" -> "learning rate"). The names in files are runconfig.h's;
 * no sentence is built here. */
#ifndef DISPLAY_H
#define DISPLAY_H

#include <stddef.h>

/* A key as tables, legends and axes name it ("lambda" -> "λ", "max_epoch" ->
 * "max epoch"); a key without a display name as written. */
const char *display_key(const char *key);
/* Whether the key's values name themselves ("ReLU", "Euclidean"), so that a
 * label of several keys shows the value alone. */
int display_key_value_alone(const char *key);

/* A setting's value as tables and text show it ("relu" -> "ReLU",
 * "euclidean" -> "Euclidean", a network's hidden layers "512x128" ->
 * "784-512-128-10", written into buf); anything else as written in the
 * experiment file. */
const char *display_value(const char *key, const char *value, char *buf, size_t size);

/* The same where a figure has little room: the cross-entropy loss as "CE",
 * other losses and activations as display_value shows them; anything else as
 * written. */
const char *display_value_brief(const char *key, const char *value);

#endif
