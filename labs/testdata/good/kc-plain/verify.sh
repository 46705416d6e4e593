#!/bin/bash
kubectl get pod -A
