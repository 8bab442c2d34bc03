# bash completion for peft-perf                            -*- shell-script -*-
#
# Install as share/bash-completion/completions/peft-perf, or source it.
#
# Kept in step with Sources/peft-perf/CLI/CommandTable.swift by
# Tests/PeftPerfCLITests/DocumentationConsistencyTests.swift, which reads the
# one-line branches of _peft_perf_spec: keep each branch on one line, as
#   'path') subcommands='...' options='...' ;;

# Sets `subcommands` and `options` for the command path $1 ('' at the top).
_peft_perf_spec() {
    case $1 in
        '') subcommands='metrics cache db system recommend record bench help' options='' ;;
        'metrics') subcommands='' options='--probe --record --since --limit --retention' ;;
        'cache') subcommands='stats clear' options='' ;;
        'cache stats') subcommands='' options='' ;;
        'cache clear') subcommands='' options='' ;;
        'db') subcommands='stats slow optimize' options='' ;;
        'db stats') subcommands='' options='--limit --since' ;;
        'db slow') subcommands='' options='--limit --threshold --since' ;;
        'db optimize') subcommands='' options='--apply' ;;
        'system') subcommands='' options='--interval --path' ;;
        'recommend') subcommands='' options='--set --fail-on --since' ;;
        'record') subcommands='' options='--strict --slow-threshold --retention' ;;
        'bench') subcommands='' options='--suite -d --duration -c --concurrency -t --threads --rate -n --requests --method -H --header --body --http1.1 --http2 --cacert --insecure --proxy --compare-pool --assert --baseline --max-regression --junit --markdown --no-record --push-gateway --job --rows --query --warmup --max-response-bytes --retention' ;;
        'help') subcommands='' options='' ;;
        *) subcommands='' options='' ;;
    esac
}

_peft_perf_global_options='--db --store --url --format --json --color -o --output --no-cache --timeout -q --quiet -v --verbose -h --help -V --version'

# Options that take a value, global or of any command: their value is not a
# command word.
_peft_perf_takes_value() {
    case $1 in
        --db | --store | --url | --format | --color | -o | --output | --timeout) return 0 ;;
        --probe | --since | --limit | --retention | --threshold | --interval | --path) return 0 ;;
        --set | --fail-on | --slow-threshold) return 0 ;;
        --suite | -d | --duration | -c | --concurrency | -t | --threads | --rate | -n | --requests) return 0 ;;
        --method | -H | --header | --body | --cacert | --proxy | --assert | --baseline) return 0 ;;
        --max-regression | --junit | --markdown | --push-gateway | --job | --rows | --query) return 0 ;;
        --warmup | --max-response-bytes) return 0 ;;
    esac
    return 1
}

# The formats the command path $1 supports.
_peft_perf_formats() {
    case $1 in
        '' | 'metrics' | 'cache stats' | 'system') echo 'table json prometheus' ;;
        'help') echo 'table' ;;
        *) echo 'table json' ;;
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

    # The value of an option.
    case $prev in
        --format)
            COMPREPLY=($(compgen -W "$(_peft_perf_formats "$path")" -- "$cur"))
            return 0
            ;;
        --color)
            COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
            return 0
            ;;
        --suite)
            COMPREPLY=($(compgen -W 'http db cache' -- "$cur"))
            return 0
            ;;
        --method)
            COMPREPLY=($(compgen -W 'GET POST PUT DELETE' -- "$cur"))
            return 0
            ;;
        --fail-on)
            COMPREPLY=($(compgen -W 'info warning critical' -- "$cur"))
            return 0
            ;;
        --db | --store | -o | --output | --cacert | --baseline | --junit | --markdown)
            _peft_perf_files "$cur"
            return 0
            ;;
        --path)
            _peft_perf_directories "$cur"
            return 0
            ;;
        --url | --proxy | --push-gateway)
            COMPREPLY=($(compgen -W 'http:// https://' -- "$cur"))
            compopt -o nospace 2>/dev/null
            return 0
            ;;
    esac
    if _peft_perf_takes_value "$prev"; then
        # A free-form value: nothing to offer.
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

    case $path in
        record)
            _peft_perf_files "$cur"
            ;;
        help)
            # help takes a command path: offer the next word of it.
            local helppath='' rest
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
            ;;
    esac
    return 0
}

complete -F _peft_perf peft-perf
