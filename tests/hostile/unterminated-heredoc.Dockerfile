FROM ubuntu:24.04
RUN <<EOF
apt-get update
apt-get install -y curl
