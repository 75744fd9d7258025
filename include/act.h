/*
 * act: the activations as scalar functions, and the properties of each,
 * for everything that is not the engine's vector arithmetic (the
 * explicit-matrix modules matrix, train and spectrum; the theory; the
 * tests). One row per activation in engine.h's ENGINE_ACTS; this module
 * holds each row's phi, phi' and log phi'.
 *
 * act must be a valid EngineAct (below ENGINE_ACT_COUNT). Pure C.
 */
#ifndef GRADSCOPE_ACT_H
#define GRADSCOPE_ACT_H

#include "engine.h"

/* The row's properties (see ENGINE_ACTS): phi(c x) = c phi(x) for c > 0;
 * |phi(x)| <= 1 for every x; phi(-x) = -phi(x). */
int act_homogeneous(EngineAct act);
int act_bounded(EngineAct act);
int act_odd(EngineAct act);

/* phi(z) and, unless deriv is NULL, *deriv = phi'(z), as the engine
 * defines them (relu'(0) = 0; a nan stays nan); the derivative to full
 * relative precision even where it is tiny. */
double act_phi(EngineAct act, double z, double *deriv);

/* log phi'(z), finite where phi'(z) underflows (-inf where it is 0). */
double act_log_deriv(EngineAct act, double z);

#endif
