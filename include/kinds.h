/* kinds.h - the activations and losses a network can have: the types alone,
 * on the utilities' floor, below both the run configuration that names them
 * (runconfig.h) and the models that compute them (mlp.h), so that neither
 * depends on the other. Their names in files are runconfig.h's. */
#ifndef KINDS_H
#define KINDS_H

typedef enum { ACT_RELU, ACT_SIGMOID } Activation;
typedef enum { LOSS_EUCLIDEAN, LOSS_CROSS_ENTROPY } LossKind;

#endif
