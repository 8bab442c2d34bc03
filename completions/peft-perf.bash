# bash completion for peft-perf                            -*- shell-script -*-
#
# Install as share/bash-completion/completions/peft-perf, or source it.
#
# Generated from Sources/PeftPerfCLI/CLI/CommandTable.swift by
# `peft-perf __generate bash`: do not edit, regenerate (see README.md,
# Development).

# Sets `subcommands` and `options` for the command path $1 ('' at the top).
_peft_perf_spec() {
    case $1 in
        '') subcommands='metrics cache db system recommend record bench help' options='' ;;
        'metrics') subcommands='' options='--probe --record --since --limit --retention' ;;
        'cache') subcommands='stats clear' options='' ;;
        'cache stats') subcommands='' options='' ;;
        'cache clear') subcommands='' options='' ;;
        'db') subcommands='stats slow optimize' options='' ;;
        'db stats') subcommands='' options='--limit --since --workload-from' ;;
        'db slow') subcommands='' options='--limit --threshold --show-parameters --id --since --workload-from' ;;
        'db optimize') subcommands='' options='--apply --workload-from' ;;
        'system') subcommands='' options='--interval --path' ;;
        'recommend') subcommands='' options='--set --fail-on --since --workload-from' ;;
        'record') subcommands='' options='--strict --slow-threshold --retention' ;;
        'bench') subcommands='' options='--suite -d --duration -c --concurrency -t --threads --rate -n --requests --method -H --header --body --http1.1 --http2 --cacert --insecure --proxy --compare-pool --assert --baseline --max-regression --junit --markdown --no-record --push-gateway --job --rows --query --warmup --max-response-bytes --retention' ;;
        'help') subcommands='' options='' ;;
        *) subcommands='' options='' ;;
    esac
}

_peft_perf_global_options='--db --store --url --api --api-header --format --json --color -o --output --no-cache --timeout -q --quiet -v --verbose -h --help -V --version'

# Options that take a value, global or of any command: their value is not a
# command word.
_peft_perf_takes_value() {
    case $1 in
        --db | --store | --url | --api | --api-header | --format | --color | -o) return 0 ;;
        --output | --timeout | --probe | --since | --limit | --retention) return 0 ;;
        --workload-from | --threshold | --id | --interval | --path | --set) return 0 ;;
        --fail-on | --slow-threshold | --suite | -d | --duration | -c) return 0 ;;
        --concurrency | -t | --threads | --rate | -n | --requests | --method) return 0 ;;
        -H | --header | --body | --cacert | --proxy | --assert | --baseline) return 0 ;;
        --max-regression | --junit | --markdown | --push-gateway | --job) return 0 ;;
        --rows | --query | --warmup | --max-response-bytes) return 0 ;;
    esac
    return 1
}

# The formats the command path $1 supports.
_peft_perf_formats() {
    case $1 in
        'metrics' | 'cache stats' | 'system') echo 'table json prometheus' ;;
        'cache clear' | 'db stats' | 'db slow' | 'db optimize' | 'recommend') echo 'table json' ;;
        'record' | 'bench') echo 'table json' ;;
        'help') echo 'table' ;;
        *) echo 'table json prometheus' ;;
    esac
}

_peft_perf_files() {
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$1"))
}

_peft_perf_directories() {
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -- "$1"))
}

# Completes the value of the option $2 in the command path $1, the word
# being $3 (`:` for a free-form value: nothing to offer). Fails when $2
# takes no value.
_peft_perf_value() {
    case $2 in
        --db | --store | -o | --output | --workload-from | --cacert) _peft_perf_files "$3" ;;
        --baseline | --junit | --markdown) _peft_perf_files "$3" ;;
        --url | --api | --proxy) COMPREPLY=($(compgen -W 'http:// https://' -- "$3")); compopt -o nospace 2>/dev/null ;;
        --push-gateway) COMPREPLY=($(compgen -W 'http:// https://' -- "$3")); compopt -o nospace 2>/dev/null ;;
        --api-header | --timeout | --probe | --since | --limit | --retention | --threshold) : ;;
        --id | --interval | --set | --slow-threshold | -d | --duration | -c | --concurrency) : ;;
        -t | --threads | --rate | -n | --requests | -H | --header | --body | --assert) : ;;
        --max-regression | --job | --rows | --query | --warmup | --max-response-bytes) : ;;
        --format) COMPREPLY=($(compgen -W "$(_peft_perf_formats "$1")" -- "$3")) ;;
        --color) COMPREPLY=($(compgen -W 'auto always never' -- "$3")) ;;
        --path) _peft_perf_directories "$3" ;;
        --fail-on) COMPREPLY=($(compgen -W 'info warning critical' -- "$3")) ;;
        --suite) COMPREPLY=($(compgen -W 'http db cache' -- "$3")) ;;
        --method) COMPREPLY=($(compgen -W 'GET POST PUT DELETE' -- "$3")) ;;
        *) return 1 ;;
    esac
    return 0
}

# After `help`, offers the next word of a command path.
_peft_perf_help_words() {
    local helppath='' rest='' i word
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        [[ $word == -* ]] && continue
        if [[ -z $rest ]]; then
            [[ $word == help ]] && rest=1
            continue
        fi
        helppath=${helppath:+$helppath }$word
    done
    _peft_perf_spec "$helppath"
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
}

_peft_perf() {
    local cur prev i word path='' subcommands options ended=0
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=''
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

    # COMP_WORDBREAKS splits --format=json into '--format' '=' 'json'.
    if [[ $cur == '=' ]]; then
        cur=''
    elif [[ $prev == '=' ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    # Find the command path among the words before the cursor.
    i=1
    while ((i < COMP_CWORD)); do
        word=${COMP_WORDS[i]}
        if ((ended)); then
            :
        elif [[ $word == -- ]]; then
            ended=1
        elif [[ $word == -* ]]; then
            if [[ $word != *=* ]] && _peft_perf_takes_value "$word"; then
                ((i++))
            elif [[ ${COMP_WORDS[i + 1]} == '=' ]]; then
                ((i += 2))
            fi
        else
            _peft_perf_spec "$path"
            if [[ " $subcommands " == *" $word "* ]]; then
                path=${path:+$path }$word
            fi
        fi
        ((i++))
    done
    _peft_perf_spec "$path"

    if _peft_perf_value "$path" "$prev" "$cur"; then
        return 0
    fi

    if ((!ended)) && [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options $_peft_perf_global_options" -- "$cur"))
        return 0
    fi

    if [[ -n $subcommands ]]; then
        COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
        return 0
    fi

    # The command's arguments.
    case $path in
        'record') _peft_perf_files "$cur" ;;
        'help') _peft_perf_help_words ;;
    esac
    return 0
}

complete -F _peft_perf peft-perf
