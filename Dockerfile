# The kubeplay server as one container image, built offline by `kubeplay image server` (which makes
# the build context: this file, a static kubeplay binary built from this repository with the web UI and
# the labs embedded, the docker CLI that kind drives, built from source, and an iptables wrapper).
# BASE is the Debian image `kubeplay image build` imports from debootstrap; nothing is pulled.
# Run it as README.md says ("With docker run").
ARG BASE=kubeplay/base
FROM ${BASE}
COPY kubeplay docker /usr/local/bin/
# iptables for the session isolation rules, with the backend (legacy or nft) the host's Docker uses.
COPY iptables-wrapper /usr/local/sbin/iptables
ARG NODE_IMAGE
ENV KUBEPLAY_DATA=/data \
    KUBEPLAY_CACHE=/data/cache \
    KUBEPLAY_NODE_IMAGE=${NODE_IMAGE} \
    KUBEPLAY_IN_CONTAINER=1
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/kubeplay"]
CMD ["serve"]
