/* display.c - display names of configuration keys and values (display.h). */
#include "display.h"

#include "runconfig.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *shown;
    int value_alone;
} KEYS[CFG_FIELD_COUNT] = {
    [CFG_LAMBDA] = {"\xce\xbb", 0}, /* λ */
    [CFG_LEARNING_RATE] = {"learning rate", 0},
    [CFG_BATCH_SIZE] = {"batch size", 0},
    [CFG_MAX_EPOCH] = {"max epoch", 0},
    [CFG_WEIGHT_DECAY] = {"weight decay", 0},
    [CFG_HIDDEN] = {"hidden", 0},
    [CFG_ACTIVATION] = {"activation", 1},
    [CFG_LOSS] = {"loss", 1},
    [CFG_AS_REPORTED] = {"as reported", 0},
    [CFG_PROTOCOL] = {"protocol", 0},
};

static const char *const ACTIVATION_SHOWN[] = {[ACT_RELU] = "ReLU", [ACT_SIGMOID] = "sigmoid"};
static const char *const LOSS_SHOWN[] = {[LOSS_EUCLIDEAN] = "Euclidean",
                                         [LOSS_CROSS_ENTROPY] = "cross-entropy"};
static const char *const LOSS_BRIEF[] = {[LOSS_EUCLIDEAN] = "Euclidean",
                                         [LOSS_CROSS_ENTROPY] = "CE"};

/* The field whose file name is key, or CFG_FIELD_COUNT. */
static ConfigField field_of(const char *key)
{
    int f = 0;
    while (f < CFG_FIELD_COUNT && strcmp(config_field_name((ConfigField)f), key) != 0)
        f++;
    return (ConfigField)f;
}

const char *display_key(const char *key)
{
    ConfigField f = field_of(key);
    return f < CFG_FIELD_COUNT && KEYS[f].shown ? KEYS[f].shown : key;
}

int display_key_value_alone(const char *key)
{
    ConfigField f = field_of(key);
    return f < CFG_FIELD_COUNT && KEYS[f].value_alone;
}

/* An activation's or a loss's display name from table, or NULL for any other
 * key or an unknown value. */
static const char *named_value(const char *key, const char *value, const char *const *losses)
{
    Activation a;
    LossKind l;
    ConfigField f = field_of(key);
    if (f == CFG_ACTIVATION && activation_from_name(value, &a) == 0)
        return ACTIVATION_SHOWN[a];
    if (f == CFG_LOSS && loss_from_name(value, &l) == 0)
        return losses[l];
    return NULL;
}

const char *display_value(const char *key, const char *value, char *buf, size_t size)
{
    const char *named = named_value(key, value, LOSS_SHOWN);
    if (named)
        return named;
    if (field_of(key) != CFG_HIDDEN)
        return value;
    /* a network by its layers: "512x128" -> "784-512-128-10" */
    snprintf(buf, size, "784-%s-10", value);
    for (char *p = buf; *p; p++)
        if (*p == 'x')
            *p = '-';
    return buf;
}

const char *display_value_brief(const char *key, const char *value)
{
    const char *named = named_value(key, value, LOSS_BRIEF);
    return named ? named : value;
}
