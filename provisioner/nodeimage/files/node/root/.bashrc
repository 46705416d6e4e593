# kubeplay node shell
[ -z "$PS1" ] && return

HISTCONTROL=ignoreboth
HISTSIZE=5000
shopt -s histappend checkwinsize

[ -f /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion

# On nodes that kind set up the cluster is ready to use; on bare kubeadm nodes, setting up
# ~/.kube/config is part of the lesson.
if [ -z "$KUBECONFIG" ] && [ ! -f "$HOME/.kube/config" ] && [ -f /kind/kubeadm.conf ] && [ -f /etc/kubernetes/admin.conf ]; then
  export KUBECONFIG=/etc/kubernetes/admin.conf
fi

alias k=kubectl
complete -o default -F __start_kubectl k 2>/dev/null
alias ls='ls --color=auto'
alias ll='ls -l'
alias grep='grep --color=auto'
export EDITOR=vi

PS1='\[\e[1;32m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '
